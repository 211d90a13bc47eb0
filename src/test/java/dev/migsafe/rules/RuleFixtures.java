package dev.migsafe.rules;

import dev.migsafe.Fixtures;
import dev.migsafe.git.Snapshot;
import dev.migsafe.git.SourceFile;
import dev.migsafe.graph.LoadedSnapshot;
import dev.migsafe.graph.MigrationGraph;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.MigrationReader;
import dev.migsafe.python.ModuleParser;
import dev.migsafe.rules.suppress.Suppressions;
import dev.migsafe.state.Database;
import dev.migsafe.state.ReplayProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One rule fixture: a folder under fixtures/rules holding a small project (app folders with
 * migrations). Migrations whose first line is {@code # migsafe-test: new [database=..] [django=..]}
 * are the analysed range; the others are already shipped. On the analysed files,
 * {@code # expect: C101 L201} names exactly the findings that line must get, and
 * {@code # ok: C101} marks a negative case (C101 must not be reported there). A replay problem
 * is expected with {@code # expect: replay}. Like Error Prone's checker tests, a fixture checks
 * the rule families it mentions: exactly the findings of every family (C, L, R, ...) named in
 * one of its comments, plus parse findings and replay problems, which are always checked.
 * Suppressions apply as in `analyze`: a suppressed finding is not listed, and X001/X002 are.
 */
record RuleFixtures(Path dir, Snapshot snapshot, Set<MigrationKey> analysed, Settings settings,
                    Map<String, List<String>> sources, Map<String, String> fieldTypes) {

    static final Path ROOT = Fixtures.ROOT.resolve("rules");

    private static final Pattern MARKER = Pattern.compile("^# migsafe-test: new(.*)$");
    private static final Pattern EXPECT = Pattern.compile("#\\s*expect:\\s*([A-Za-z0-9 ,]+)");
    private static final Pattern OK = Pattern.compile("#\\s*ok:\\s*([A-Za-z0-9 ,]+)");
    /** `# reason: TEXT`: the operation's reason (what it does, when no finding gives its class) contains TEXT. */
    /** `# message: RULE TEXT`: a RULE finding on that line has TEXT in its message. */
    private static final Pattern MESSAGE = Pattern.compile("#\\s*message:\\s*([A-Z][0-9]{3})\\s+(.+)$");
    private static final Pattern REASON = Pattern.compile("#\\s*reason:\\s*(.+)$");

    static List<Path> all() {
        try (Stream<Path> s = Files.list(ROOT)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RuleFixtures load(Path dir) {
        Map<String, SourceFile> migrations = new TreeMap<>();
        Map<String, SourceFile> apps = new TreeMap<>();
        Map<String, SourceFile> modules = new TreeMap<>();
        Map<String, String> fieldTypes = new TreeMap<>();
        Map<String, List<String>> sources = new TreeMap<>();
        Set<MigrationKey> analysed = new HashSet<>();
        Settings settings = Settings.DEFAULT;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".py")).sorted().toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                byte[] bytes = Files.readAllBytes(p);
                SourceFile file = new SourceFile(rel, null, () -> bytes);
                if (rel.endsWith("/apps.py")) {
                    apps.put(rel, file);
                    continue;
                }
                if (!rel.contains("/migrations/")) {
                    modules.put(rel, file); // the project's other modules, e.g. custom field classes
                    continue;
                }
                migrations.put(rel, file);
                List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
                sources.put(rel, lines);
                Matcher m = lines.isEmpty() ? null : MARKER.matcher(lines.get(0));
                if (m != null && m.matches()) {
                    String app = rel.substring(0, rel.indexOf("/migrations/"));
                    app = app.substring(app.lastIndexOf('/') + 1);
                    analysed.add(new MigrationKey(app, MigrationGraph.migrationName(rel)));
                    settings = settings(m.group(1), settings);
                    fieldTypes.putAll(fieldTypes(m.group(1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RuleFixtures(dir, new Snapshot(dir.getFileName().toString(), null, migrations, apps, modules),
                analysed, settings, sources, fieldTypes);
    }

    /** {@code field-type=pkg.mod.Class=CharField}: the field-types configuration key. */
    private static Map<String, String> fieldTypes(String options) {
        Map<String, String> out = new TreeMap<>();
        for (String opt : options.trim().split("\\s+")) {
            if (opt.startsWith("field-type=")) {
                String[] kv = opt.substring("field-type=".length()).split("=", 2);
                out.put(kv[0], dev.migsafe.state.FieldTypes.djangoClass(kv[1]));
            }
        }
        return out;
    }

    private static Settings settings(String options, Settings base) {
        Settings s = base;
        for (String opt : options.trim().split("\\s+")) {
            if (opt.startsWith("database=")) {
                s = s.withDatabase(Database.of(opt.substring(9)));
            } else if (opt.startsWith("django=")) {
                s = s.withDjango(DjangoVersion.parse(opt.substring(7)));
            } else if (opt.startsWith("postgresql=")) {
                dev.migsafe.config.PostgresqlVersion pg = dev.migsafe.config.PostgresqlVersion.parse(opt.substring(11));
                if (pg == null) {
                    throw new IllegalArgumentException("not a PostgreSQL release the configuration accepts: " + opt);
                }
                s = s.withPostgresql(pg);
            } else if (opt.startsWith("lock-timeout=")) {
                s = s.withLockTimeout(new dev.migsafe.config.LockTimeout(opt.substring(13),
                        "lock-timeout = \"" + opt.substring(13) + "\" in the fixture"));
            }
        }
        return s;
    }

    /** The families this fixture checks: those its comments mention, plus P (parsing) and replay problems. */
    Set<Character> families() {
        Set<Character> out = new HashSet<>(List.of('P', 'r'));
        sources.values().forEach(lines -> lines.forEach(line -> {
            for (Pattern p : List.of(EXPECT, OK)) {
                Matcher m = p.matcher(line);
                if (m.find()) {
                    for (String id : m.group(1).trim().split("[ ,]+")) {
                        out.add(id.charAt(0));
                    }
                }
            }
        }));
        return out;
    }

    /** The analysis of the fixture, for tests that check more than rule ids (classes, messages). */
    Analysis analysis() {
        ModuleParser parser = new ModuleParser();
        LoadedSnapshot head = LoadedSnapshot.load(snapshot, new MigrationReader(parser), parser, Map.of(), Map.of(), dev.migsafe.git.MigrationPaths.DEFAULT, fieldTypes);
        return new Analyzer(settings, Map.of()).run(head, analysed, false);
    }

    /**
     * Rules checked only in fixtures that name them: L216 (lock-timeout) speaks once for every
     * migration that locks an existing table, so every other L fixture would have to list it.
     */
    private static final Set<String> ONLY_WHEN_NAMED = Set.of("L216");

    private boolean named(String rule) {
        return sources.values().stream().anyMatch(lines -> lines.stream().anyMatch(l -> (EXPECT.matcher(l).find()
                || OK.matcher(l).find()) && l.contains(rule)));
    }

    /** Runs the analysis; findings of the checked families as "path:line: RULE", sorted. */
    List<String> actual() {
        Set<Character> families = families();
        Set<String> unnamed = new HashSet<>();
        ONLY_WHEN_NAMED.stream().filter(r -> !named(r)).forEach(unnamed::add);
        Run run = run();
        List<String> out = new ArrayList<>();
        for (Finding f : run.findings()) {
            if (!f.isSuppressed() && families.contains(f.rule().charAt(0)) && !unnamed.contains(f.rule())) {
                out.add(f.path() + ":" + f.line() + ": " + f.rule());
            }
        }
        for (ReplayProblem p : run.problems()) {
            out.add(p.path() + ":" + p.line() + ": replay");
        }
        out.sort(null);
        return out;
    }

    /** `# message: RULE TEXT` comments whose line has no unsuppressed RULE finding with TEXT in its message. */
    List<String> messageMismatches() {
        List<Finding> all = run().findings();
        List<String> out = new ArrayList<>();
        sources.forEach((path, lines) -> {
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = MESSAGE.matcher(lines.get(i));
                if (!m.find()) {
                    continue;
                }
                int line = i + 1;
                String rule = m.group(1);
                String text = m.group(2).trim();
                List<String> got = all.stream().filter(f -> !f.isSuppressed() && f.path().equals(path) && f.line() == line
                        && f.rule().equals(rule)).map(Finding::message).toList();
                if (got.stream().noneMatch(msg -> msg.contains(text))) {
                    out.add(path + ":" + line + ": no " + rule + " message containing \"" + text + "\" in " + got);
                }
            }
        });
        return out;
    }

    /** Every finding of the analysed migrations, as analyze reports them (suppressed ones marked), and the replay problems. */
    record Run(List<Finding> findings, List<ReplayProblem> problems) {}

    Run run() {
        ModuleParser parser = new ModuleParser();
        LoadedSnapshot head = LoadedSnapshot.load(snapshot, new MigrationReader(parser), parser, Map.of(), Map.of(), dev.migsafe.git.MigrationPaths.DEFAULT, fieldTypes);
        // As analyze applies them: a suppressed finding is kept but reported as such, so it is not listed.
        Suppressions suppressions = Suppressions.of(head, analysed);
        Analysis analysis = new Analyzer(settings, Map.of()).withPolicy(suppressions).run(head, analysed, false);
        Set<String> analysedPaths = new HashSet<>();
        head.graph().nodes().values().stream().filter(n -> analysed.contains(n.key())).forEach(n -> analysedPaths.add(n.path()));
        List<Finding> all = new ArrayList<>(suppressions.applyAll(
                head.findings().stream().filter(f -> analysedPaths.contains(f.path())).toList()));
        all.addAll(analysis.findings());
        all.addAll(suppressions.finish());
        return new Run(all, analysis.problems());
    }

    /** What the # expect: comments say, in the same form. */
    List<String> expected() {
        List<String> out = new ArrayList<>();
        sources.forEach((path, lines) -> {
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = EXPECT.matcher(lines.get(i));
                if (m.find()) {
                    for (String id : m.group(1).trim().split("[ ,]+")) {
                        out.add(path + ":" + (i + 1) + ": " + id);
                    }
                }
            }
        });
        out.sort(null);
        return out;
    }

    /** What the # reason: comments say: "path:line" -> the text the operation's reason must contain. */
    Map<String, String> expectedReasons() {
        Map<String, String> out = new TreeMap<>();
        sources.forEach((path, lines) -> {
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = REASON.matcher(lines.get(i));
                if (m.find()) {
                    out.put(path + ":" + (i + 1), m.group(1).trim());
                }
            }
        });
        return out;
    }

    /** The reason of every analysed operation, as "path:line" -> reason. */
    Map<String, String> actualReasons() {
        ModuleParser parser = new ModuleParser();
        LoadedSnapshot head = LoadedSnapshot.load(snapshot, new MigrationReader(parser), parser, Map.of(), Map.of());
        Analysis analysis = new Analyzer(settings, Map.of()).run(head, analysed, false);
        Map<String, String> out = new TreeMap<>();
        for (MigrationVerdict v : analysis.migrations()) {
            for (OperationVerdict op : v.operations()) {
                out.put(v.path() + ":" + op.op().line(), op.reason());
            }
        }
        return out;
    }

    /** Rule ids with their counts of positive (expect) and negative (ok) cases. */
    void countCases(Map<String, int[]> counts) {
        sources.forEach((path, lines) -> {
            for (String line : lines) {
                count(EXPECT.matcher(line), counts, 0);
                count(OK.matcher(line), counts, 1);
            }
        });
    }

    private static void count(Matcher m, Map<String, int[]> counts, int slot) {
        if (m.find()) {
            for (String id : m.group(1).trim().split("[ ,]+")) {
                counts.computeIfAbsent(id, k -> new int[2])[slot]++;
            }
        }
    }

    /** The lines marked `# ok: RULE` must not have that rule in the actual findings. */
    List<String> violatedNegatives(List<String> actual) {
        List<String> out = new ArrayList<>();
        sources.forEach((path, lines) -> {
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = OK.matcher(lines.get(i));
                if (m.find()) {
                    for (String id : m.group(1).trim().split("[ ,]+")) {
                        String key = path + ":" + (i + 1) + ": " + id;
                        if (actual.contains(key)) {
                            out.add(key);
                        }
                    }
                }
            }
        });
        return out;
    }
}
