package org.fathom.cli;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fathom.privacy.AuditLog;
import org.fathom.protocol.AddressCatalog;
import org.fathom.protocol.ServiceCatalog;
import org.fathom.security.AttackDetector;
import org.fathom.security.ThresholdRules;

/**
 * Reloads the rule files of a running {@code fathom live} (SIGHUP): {@code --services},
 * {@code --addresses} and {@code --alert-thresholds} are read again into new catalogs off to the
 * side; only when every file is good are they published to the running engine, each with one
 * volatile write (the catalogs' compiled tables, the attack detector's threshold array), so the
 * workers never take a lock and never see half a reload. Flow, call and alert state is untouched.
 * A bad file keeps every rule in use and says why in one line.
 */
final class RuleReloader {
    private final List<Path> servicesFiles;
    private final List<Path> addressesFiles;
    private final Path thresholdsFile;
    private final ServiceCatalog services;
    private final AddressCatalog addresses;
    private final AttackDetector.Rules thresholds;
    private final AuditLog audit;

    RuleReloader(List<Path> servicesFiles, List<Path> addressesFiles, Path thresholdsFile, ServiceCatalog services,
                 AddressCatalog addresses, AttackDetector.Rules thresholds, AuditLog audit) {
        this.servicesFiles = List.copyOf(servicesFiles);
        this.addressesFiles = List.copyOf(addressesFiles);
        this.thresholdsFile = thresholdsFile;
        this.services = services;
        this.addresses = addresses;
        this.thresholds = thresholds;
        this.audit = audit;
    }

    /** Whether there are rule files to reload at all. */
    boolean hasFiles() {
        return !servicesFiles.isEmpty() || !addressesFiles.isEmpty() || thresholdsFile != null;
    }

    /** Reloads every rule file, all or nothing; returns the line that says what happened. Never throws. */
    synchronized String reload() {
        if (servicesFiles.isEmpty() && addressesFiles.isEmpty() && thresholdsFile == null) {
            return "fathom: SIGHUP: no rule files to reload (--services, --addresses, --alert-thresholds)";
        }
        ServiceCatalog s = ServiceCatalog.bundled();
        AddressCatalog a = AddressCatalog.bundled();
        List<AttackDetector.NetworkThresholds> t = List.of();
        try {
            for (Path f : servicesFiles) {
                try {
                    s.load(f);
                } catch (IOException e) {
                    throw new IllegalArgumentException(f + ": cannot read service rules (" + RunOptions.message(e) + ")");
                }
            }
            for (Path f : addressesFiles) {
                try {
                    a.load(f);
                } catch (IOException e) {
                    throw new IllegalArgumentException(f + ": cannot read address rules (" + RunOptions.message(e) + ")");
                }
            }
            if (thresholdsFile != null) {
                t = ThresholdRules.load(thresholdsFile);
            }
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            return "fathom: SIGHUP: rules not reloaded, the rules in use stay: " + RunOptions.message(e);
        }
        services.replaceRules(s);
        addresses.replaceRules(a);
        if (thresholdsFile != null) {
            thresholds.set(t);
        }
        List<String> parts = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();
        if (!servicesFiles.isEmpty()) {
            parts.add("services from " + join(servicesFiles));
            details.put("services", servicesFiles.stream().map(Path::toString).toList());
        }
        if (!addressesFiles.isEmpty()) {
            parts.add("addresses from " + join(addressesFiles));
            details.put("addresses", addressesFiles.stream().map(Path::toString).toList());
        }
        if (thresholdsFile != null) {
            parts.add("alert thresholds for " + t.size() + " networks from " + thresholdsFile);
            details.put("alert_thresholds", thresholdsFile.toString());
            details.put("alert_threshold_networks", (long) t.size());
        }
        try {
            audit.append("rules_reloaded", details);
        } catch (RuntimeException e) {
            return "fathom: SIGHUP: rules reloaded (" + String.join("; ", parts) + "), but the audit log could not record it: "
                    + RunOptions.message(e);
        }
        return "fathom: SIGHUP: rules reloaded: " + String.join("; ", parts);
    }

    private static String join(List<Path> files) {
        return String.join(", ", files.stream().map(Path::toString).toList());
    }

    /**
     * Runs {@code action} on each SIGHUP instead of the JVM's default (which ends the process), until
     * the returned handle is closed. Uses the JDK's {@code sun.misc.Signal} (module jdk.unsupported),
     * reached reflectively; null when it is not there, and nothing is installed.
     */
    static AutoCloseable onHangup(Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object hup = signal.getConstructor(String.class).newInstance("HUP");
            InvocationHandler h = (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                    action.run();
                    return null;
                }
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "fathom SIGHUP handler";
                    default -> null;
                };
            };
            Object handler = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType}, h);
            Method handle = signal.getMethod("handle", signal, handlerType);
            Object previous = handle.invoke(null, hup, handler);
            return () -> handle.invoke(null, hup, previous);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
