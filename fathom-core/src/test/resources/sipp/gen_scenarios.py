#!/usr/bin/env python3
"""Generates the sipp scenario XML files of the VoIP test capture (run from this folder).
uac_*.xml place calls, uas_*.xml answer them; one pair per outcome (see record.sh)."""

SDP = """v=0
o=- 1 1 IN IP[media_ip_type] [media_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 8 0
a=rtpmap:8 PCMA/8000
a=rtpmap:0 PCMU/8000
"""

def invite(uri, cseq=1, compact=False, extra=""):
    h = {"v": "Via", "f": "From", "t": "To", "m": "Contact", "c": "Content-Type", "l": "Content-Length"}
    n = (lambda k: k) if compact else (lambda k: h[k])
    return f"""INVITE {uri} SIP/2.0
{n('v')}: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
{n('f')}: <sip:alice@[local_ip]:[local_port]>;tag=[pid]T[call_number]
{n('t')}: <{uri}>
Call-ID: [call_id]
CSeq: {cseq} INVITE
{n('m')}: <sip:alice@[local_ip]:[local_port];transport=[transport]>
Max-Forwards: 70
{extra}{n('c')}: application/sdp
{n('l')}: [len]

{SDP}"""

def in_dialog(method, uri, cseq, extra="", to_tag=True):
    to = "[peer_tag_param]" if to_tag else ""
    return f"""{method} {uri} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:alice@[local_ip]:[local_port]>;tag=[pid]T[call_number]
To: <{uri}>{to}
Call-ID: [call_id]
CSeq: {cseq} {method}
Max-Forwards: 70
{extra}Content-Length: 0

"""

def send(msg, **attrs):
    a = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f"  <send{a}><![CDATA[\n{msg}]]></send>\n"

def recv(code, **attrs):
    a = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f'  <recv response="{code}"{a}/>\n'

def scenario(name, body):
    with open(name, "w") as f:
        f.write('<?xml version="1.0" encoding="ISO-8859-1" ?>\n<!DOCTYPE scenario SYSTEM "sipp.dtd">\n')
        f.write(f'<scenario name="{name[:-4]}">\n{body}</scenario>\n')

URI = "sip:[service]@[remote_ip]:[remote_port]"

def uac_answered(name, uri=URI, rtp=False, reason="", compact=False, auth=False):
    b = ""
    cseq = 1
    if auth:
        b += send(invite(uri, 1, compact))
        b += recv(100, optional="true") + recv(401, auth="true")
        b += send(in_dialog("ACK", uri, 1))
        cseq = 2
        b += send(invite(uri, 2, compact, 'Authorization: Digest username="alice", realm="fathom", nonce="n", uri="' + uri + '", response="00"\n'))
    else:
        b += send(invite(uri, 1, compact))
    b += recv(100, optional="true") + recv(180, optional="true") + recv(200, rtd="true")
    b += send(in_dialog("ACK", uri, cseq))
    if rtp:
        b += '  <nop><action><exec play_pcap_audio="rtp-pcma.pcap"/></action></nop>\n'
        b += '  <pause milliseconds="1200"/>\n'
    else:
        b += '  <pause milliseconds="200"/>\n'
    b += send(in_dialog("BYE", uri, cseq + 1, reason))
    b += recv(200, crlf="true")
    scenario(name, b)

def uac_final(name, code):
    b = send(invite(URI)) + recv(100, optional="true") + recv(180, optional="true")
    b += recv(code) + send(in_dialog("ACK", URI, 1))
    scenario(name, b)

def uac_cancel(name):
    b = send(invite(URI)) + recv(100, optional="true") + recv(180)
    b += send(in_dialog("CANCEL", URI, 1, to_tag=False).replace("branch=[branch]", "branch=[branch-1]"))
    b += recv(200) + recv(487) + send(in_dialog("ACK", URI, 1))
    scenario(name, b)

RESP_HEAD = """[last_Via:]
[last_From:]
[last_To:];tag=[pid]U[call_number]
[last_Call-ID:]
{cseq}
Contact: <sip:bob@[local_ip]:[local_port];transport=[transport]>
"""

def resp(code, text, cseq="[last_CSeq:]", sdp=False, extra=""):
    head = f"SIP/2.0 {code} {text}\n" + RESP_HEAD.format(cseq=cseq) + extra
    if sdp:
        return head + "Content-Type: application/sdp\nContent-Length: [len]\n\n" + SDP
    return head + "Content-Length: 0\n\n"

def uas_answer(name, auth=False):
    b = '  <recv request="INVITE"/>\n'
    if auth:
        b += send(resp(401, "Unauthorized", extra='WWW-Authenticate: Digest realm="fathom", nonce="n"\n'))
        b += '  <recv request="ACK"/>\n  <recv request="INVITE"/>\n'
    b += send(resp(100, "Trying")) + send(resp(180, "Ringing")) + '  <pause milliseconds="50"/>\n'
    b += send(resp(200, "OK", sdp=True), retrans="500")
    b += '  <recv request="ACK" crlf="true"/>\n  <recv request="BYE"/>\n' + send(resp(200, "OK"))
    b += '  <pause milliseconds="500"/>\n'
    scenario(name, b)

def uas_final(name, code, text):
    extra = 'Proxy-Authenticate: Digest realm="fathom", nonce="n"\n' if code == 407 else ""
    extra += "Contact: <sip:carol@[local_ip]:[local_port]>\n" if code == 302 else ""
    b = '  <recv request="INVITE"/>\n' + send(resp(100, "Trying")) + send(resp(180, "Ringing"))
    b += '  <pause milliseconds="30"/>\n' + send(resp(code, text, extra=extra), retrans="500")
    b += '  <recv request="ACK"/>\n  <pause milliseconds="500"/>\n'
    scenario(name, b)

def uas_cancel(name):
    b = '  <recv request="INVITE"/>\n' + send(resp(100, "Trying")) + send(resp(180, "Ringing"))
    b += '  <recv request="CANCEL"/>\n' + send(resp(200, "OK"))
    b += send(resp(487, "Request Terminated", cseq="CSeq: 1 INVITE"), retrans="500")
    b += '  <recv request="ACK"/>\n  <pause milliseconds="500"/>\n'
    scenario(name, b)

uac_answered("uac_call_rtp.xml", rtp=True)
uac_answered("uac_call.xml")
uac_answered("uac_call_reason16.xml", reason="Reason: Q.850;cause=16;text=\"Normal call clearing\"\n")
uac_answered("uac_call_reason41.xml", reason="Reason: Q.850;cause=41;text=\"Temporary failure\"\n")
uac_answered("uac_call_compact.xml", compact=True)
uac_answered("uac_call_sos.xml", uri="urn:service:sos")
uac_answered("uac_call_auth.xml", auth=True)
uac_cancel("uac_cancel.xml")
uas_answer("uas_answer.xml")
uas_answer("uas_auth_answer.xml", auth=True)
uas_cancel("uas_cancel.xml")
for code, text in [(486, "Busy Here"), (600, "Busy Everywhere"), (480, "Temporarily Unavailable"),
                   (408, "Request Timeout"), (302, "Moved Temporarily"), (403, "Forbidden"), (404, "Not Found"),
                   (488, "Not Acceptable Here"), (407, "Proxy Authentication Required"),
                   (503, "Service Unavailable"), (500, "Server Internal Error")]:
    uac_final(f"uac_final_{code}.xml", code)
    uas_final(f"uas_final_{code}.xml", code, text)

# --- dropped without BYE, and calls still up when the capture ends ---

def uac_noack(name):
    # answered, never acknowledged; the capture must go on > 32 s after the 200 (see uac_media_timeout)
    b = send(invite(URI)) + recv(100, optional="true") + recv(180, optional="true") + recv(200)
    b += '  <pause milliseconds="1000"/>\n'
    scenario(name, b)

def uas_noack(name):
    b = '  <recv request="INVITE"/>\n' + send(resp(100, "Trying")) + send(resp(180, "Ringing"))
    b += send(resp(200, "OK", sdp=True))      # sent once: no retransmission, no ACK awaited
    b += '  <pause milliseconds="500"/>\n'
    scenario(name, b)

def uac_media_timeout(name):
    # RTP for 1 s, then silence and no BYE; 34 s later an OPTIONS (outside the dialog) marks the
    # time, so the capture runs past the 30 s media timeout
    b = send(invite(URI)) + recv(100, optional="true") + recv(180, optional="true") + recv(200)
    b += send(in_dialog("ACK", URI, 1))
    b += '  <nop><action><exec play_pcap_audio="rtp-pcma.pcap"/></action></nop>\n'
    b += '  <pause milliseconds="35000"/>\n'
    b += send(in_dialog("OPTIONS", URI, 1, to_tag=False).replace("[call_id]", "late-[call_id]"))
    scenario(name, b)

def uas_media_timeout(name):
    b = '  <recv request="INVITE"/>\n' + send(resp(100, "Trying")) + send(resp(180, "Ringing"))
    b += send(resp(200, "OK", sdp=True), retrans="500") + '  <recv request="ACK"/>\n'
    b += '  <pause milliseconds="1500"/>\n'
    scenario(name, b)

def uac_ringing(name):
    # still ringing when the capture ends: in_progress
    b = send(invite(URI)) + recv(100, optional="true") + recv(180)
    b += '  <pause milliseconds="33000"/>\n'
    scenario(name, b)

def uas_ringing(name):
    b = '  <recv request="INVITE"/>\n' + send(resp(100, "Trying")) + send(resp(180, "Ringing"))
    b += '  <pause milliseconds="500"/>\n'
    scenario(name, b)

uac_noack("uac_noack.xml")
uas_noack("uas_noack.xml")
uac_media_timeout("uac_media_timeout.xml")
uas_media_timeout("uas_media_timeout.xml")
uac_ringing("uac_ringing.xml")
uas_ringing("uas_ringing.xml")
