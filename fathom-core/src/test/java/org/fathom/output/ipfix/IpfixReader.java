package org.fathom.output.ipfix;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict little IPFIX reader for the tests, written from RFC 7011 and independent of the encoder:
 * it checks every length it meets and decodes data records with the templates it has seen
 * (kept across messages, as a collector does).
 */
final class IpfixReader {
    record Header(int version, int length, long exportTime, long sequence, long domain) {
    }

    record Field(int id, int length, long pen) {
        String key() {
            return pen == 0 ? Integer.toString(id) : pen + "/" + id;
        }
    }

    record Template(int id, int scopeCount, List<Field> fields) {
    }

    record Set(int id, int length) {
    }

    record Message(Header header, List<Set> sets, List<Template> templates, List<Map<String, Object>> records) {
        /** Data records of one template, each with "template" added. */
        List<Map<String, Object>> recordsOf(int template) {
            return records.stream().filter(r -> r.get("template").equals(template)).toList();
        }
    }

    final Map<Integer, Template> known = new HashMap<>();

    Message read(byte[] b, int len) {
        ByteBuffer in = ByteBuffer.wrap(b, 0, len);
        Header h = new Header(in.getShort() & 0xFFFF, in.getShort() & 0xFFFF, in.getInt() & 0xFFFFFFFFL,
                in.getInt() & 0xFFFFFFFFL, in.getInt() & 0xFFFFFFFFL);
        if (h.version() != 10 || h.length() != len) {
            throw new AssertionError("bad header " + h + " for " + len + " bytes");
        }
        List<Set> sets = new ArrayList<>();
        List<Template> templates = new ArrayList<>();
        List<Map<String, Object>> records = new ArrayList<>();
        while (in.hasRemaining()) {
            int start = in.position();
            int id = in.getShort() & 0xFFFF;
            int slen = in.getShort() & 0xFFFF;
            if (slen < 4 || start + slen > len) {
                throw new AssertionError("set " + id + " of length " + slen + " at " + start);
            }
            sets.add(new Set(id, slen));
            int end = start + slen;
            if (id == 2 || id == 3) {
                while (end - in.position() >= 4) {
                    int tid = in.getShort() & 0xFFFF;
                    int count = in.getShort() & 0xFFFF;
                    int scope = id == 3 ? in.getShort() & 0xFFFF : 0;
                    List<Field> fields = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        int fid = in.getShort() & 0xFFFF;
                        int flen = in.getShort() & 0xFFFF;
                        long pen = (fid & 0x8000) != 0 ? in.getInt() & 0xFFFFFFFFL : 0;
                        fields.add(new Field(fid & 0x7FFF, flen, pen));
                    }
                    Template t = new Template(tid, scope, fields);
                    templates.add(t);
                    known.put(tid, t);
                }
            } else {
                Template t = known.get(id);
                if (t == null) {
                    throw new AssertionError("data set " + id + " before its template");
                }
                while (in.position() < end) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("template", id);
                    for (Field f : t.fields()) {
                        int n = f.length();
                        if (n == 0xFFFF) {
                            n = in.get() & 0xFF;
                            if (n == 255) {
                                n = in.getShort() & 0xFFFF;
                            }
                            byte[] s = new byte[n];
                            in.get(s);
                            r.put(f.key(), new String(s, StandardCharsets.UTF_8));
                        } else if (n == 16) {
                            r.put(f.key(), new long[] {in.getLong(), in.getLong()});
                        } else {
                            long v = 0;
                            for (int i = 0; i < n; i++) {
                                v = (v << 8) | (in.get() & 0xFF);
                            }
                            r.put(f.key(), v);
                        }
                    }
                    if (in.position() > end) {
                        throw new AssertionError("record runs past its set");
                    }
                    records.add(r);
                }
            }
            if (in.position() != end) {
                throw new AssertionError("set " + id + " has " + (end - in.position()) + " bytes left over");
            }
        }
        return new Message(h, sets, templates, records);
    }
}
