package org.fathom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages of the main code form no cycle, and the exit's layers point one way
 * ({@code net} ← {@code record} ← {@code privacy} ← {@code output}). A small scan of our own: every
 * {@code org.fathom.x.Y} the code names (imports, static imports, wildcard imports, qualified
 * names in code; not comments or strings) is an edge from the file's package to {@code x}.
 */
class PackageCyclesTest {
    static final Path MAIN = Path.of("src/main/java/org/fathom");

    /**
     * Known cycles outside the exit layer, as edges that do not count: class → package prefix it may
     * name without that counting. Keep this short, and shrink it; anything not listed fails.
     */
    static final Map<String, String> ALLOWED = Map.of();
    // (the protocol packages register themselves through META-INF/services, ProtocolModules:
    // org.fathom.protocol names none of them, so protocol <-> protocol.* is no longer a cycle)

    /** A name in code: package segments (lower case) up to the first upper-case segment. */
    static final Pattern QUALIFIED = Pattern.compile("\\borg\\.fathom((?:\\.[a-z_][a-z0-9_]*)+)\\.(?:[A-Z]|\\*)");
    static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    /** package → package it names → files that name it. */
    static final Map<String, Map<String, Set<String>>> GRAPH = new TreeMap<>();

    @BeforeAll
    static void scan() throws IOException {
        assertThat(MAIN).as("main sources, relative to the module folder").isDirectory();
        try (var files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String code = codeOnly(Files.readString(f));
                Matcher pm = PACKAGE.matcher(code);
                assertThat(pm.find()).as("package declaration in %s", f).isTrue();
                String pkg = pm.group(1);
                String fileName = f.getFileName().toString();
                String cls = pkg + "." + fileName.substring(0, fileName.length() - ".java".length());
                Map<String, Set<String>> out = GRAPH.computeIfAbsent(pkg, k -> new TreeMap<>());
                Matcher m = QUALIFIED.matcher(code);
                while (m.find()) {
                    String target = "org.fathom" + m.group(1);
                    String allowed = ALLOWED.get(cls);
                    if (target.equals(pkg) || allowed != null && target.startsWith(allowed)) {
                        continue;
                    }
                    out.computeIfAbsent(target, k -> new TreeSet<>()).add(fileName);
                }
            }
        }
        for (Map<String, Set<String>> out : List.copyOf(GRAPH.values())) {
            for (String target : out.keySet()) {
                GRAPH.computeIfAbsent(target, k -> new TreeMap<>());
            }
        }
    }

    @Test
    void thePackagesFormNoCycle() {
        List<String> cycles = new ArrayList<>();
        for (List<String> scc : stronglyConnected()) {
            if (scc.size() > 1) {
                cycles.add(describe(scc));
            }
        }
        assertThat(cycles).as("package cycles in the main code (break them, do not extend ALLOWED)").isEmpty();
    }

    @Test
    void theExitsLayersPointOneWay() {
        assertThat(names("org.fathom.net")).as("net is a leaf").isEmpty();
        assertThat(names("org.fathom.record")).as("record").isSubsetOf("org.fathom.net");
        assertThat(names("org.fathom.privacy")).as("privacy").doesNotContain("org.fathom.output");
        for (String pkg : GRAPH.keySet()) {
            if (pkg.equals("org.fathom.protocol") || pkg.startsWith("org.fathom.protocol.")) {
                assertThat(names(pkg)).as(pkg).doesNotContain("org.fathom.privacy", "org.fathom.output");
            }
        }
    }

    @Test
    void theScanSeesEveryKindOfName() {
        String code = codeOnly("""
                package org.fathom.a;
                import org.fathom.b.B;
                import static org.fathom.c.C.f;
                import org.fathom.d.*;
                // org.fathom.e.E in a comment
                /* org.fathom.f.F in a block comment */
                class A { String s = "org.fathom.g.G"; char q = '"'; Object o = org.fathom.h.sub.H.of(); }
                """);
        List<String> found = new ArrayList<>();
        Matcher m = QUALIFIED.matcher(code);
        while (m.find()) {
            found.add(m.group(1));
        }
        assertThat(found).containsExactly(".b", ".c", ".d", ".h.sub");
    }

    static Set<String> names(String pkg) {
        assertThat(GRAPH).containsKey(pkg);
        return GRAPH.get(pkg).keySet();
    }

    /** Tarjan's algorithm, iterative: the strongly connected components of the package graph. */
    static List<List<String>> stronglyConnected() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> result = new ArrayList<>();
        int[] counter = {0};
        for (String root : GRAPH.keySet()) {
            if (index.containsKey(root)) {
                continue;
            }
            Deque<Map.Entry<String, java.util.Iterator<String>>> work = new ArrayDeque<>();
            index.put(root, counter[0]);
            low.put(root, counter[0]++);
            stack.push(root);
            onStack.add(root);
            work.push(Map.entry(root, GRAPH.get(root).keySet().iterator()));
            while (!work.isEmpty()) {
                String v = work.peek().getKey();
                java.util.Iterator<String> it = work.peek().getValue();
                if (it.hasNext()) {
                    String w = it.next();
                    if (!index.containsKey(w)) {
                        index.put(w, counter[0]);
                        low.put(w, counter[0]++);
                        stack.push(w);
                        onStack.add(w);
                        work.push(Map.entry(w, GRAPH.get(w).keySet().iterator()));
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    String parent = work.peek().getKey();
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(index.get(v))) {
                    List<String> scc = new ArrayList<>();
                    String w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        scc.add(w);
                    } while (!w.equals(v));
                    scc.sort(null);
                    result.add(scc);
                }
            }
        }
        return result;
    }

    /** One concrete cycle through the component, each edge with the files that make it. */
    static String describe(List<String> scc) {
        String start = scc.getFirst();
        Set<String> members = new TreeSet<>(scc);
        Map<String, String> parent = new LinkedHashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        String last = null;
        search:
        while (!queue.isEmpty()) {
            String v = queue.poll();
            for (String w : GRAPH.get(v).keySet()) {
                if (w.equals(start)) {
                    last = v;
                    break search;
                }
                if (members.contains(w) && !parent.containsKey(w)) {
                    parent.put(w, v);
                    queue.add(w);
                }
            }
        }
        List<String> path = new ArrayList<>();
        for (String v = last; v != null && !v.equals(start); v = parent.get(v)) {
            path.addFirst(v);
        }
        path.addFirst(start);
        path.add(start);
        StringBuilder sb = new StringBuilder(String.join(" -> ", path)).append(" (");
        for (int i = 0; i + 1 < path.size(); i++) {
            sb.append(i == 0 ? "" : "; ").append(path.get(i)).append(" -> ").append(path.get(i + 1)).append(" in ")
                    .append(String.join(", ", GRAPH.get(path.get(i)).get(path.get(i + 1))));
        }
        return sb.append(")").append(scc.size() > path.size() - 1 ? ", component: " + scc : "").toString();
    }

    /** The source with comments, string and character literals (text blocks too) blanked out. */
    static String codeOnly(String src) {
        StringBuilder sb = new StringBuilder(src.length());
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                sb.append(' ');
            } else if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                while (end > 0 && src.charAt(end - 1) == '\\') {
                    end = src.indexOf("\"\"\"", end + 1);
                }
                i = end < 0 ? n : end + 3;
                sb.append("\"\"");
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < n && src.charAt(i) != c && src.charAt(i) != '\n') {
                    i += src.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                sb.append(c).append(c);
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }
}
