#!/usr/bin/env bash
# Records captures/events/smb1-ntlm.pcap: record-smb.sh with both sides held to SMB1 (see there).
# Usage: ./record-smb1.sh [OUTDIR] (default: this folder).
SMB_VERSION=1 exec "$(dirname "${BASH_SOURCE[0]}")/record-smb.sh" "$@"
