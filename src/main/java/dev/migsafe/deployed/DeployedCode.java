package dev.migsafe.deployed;

import dev.migsafe.git.Snapshot;
import dev.migsafe.migration.Evidence;
import dev.migsafe.python.ModuleParser;
import dev.migsafe.python.ProjectModules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The code that keeps running while the new schema is live: the range's base side (HEAD for
 * --staged and FILE operands), read statically. Rules ask it whether old code still maps a
 * column or table that an operation drops or renames, and where old code uses it. Everything is
 * read when first asked (a run whose rules ask nothing reads no models module) and parsed through
 * the parse cache, by blob id.
 */
public final class DeployedCode {

    /** No deployed code (an audit with --all, a first commit): every answer is unknown, no evidence. */
    public static final DeployedCode NONE = new DeployedCode(null, null, null, Map.of());

    /** At most this many places per finding are kept (JSON and SARIF carry them all). */
    public static final int MAX_EVIDENCE = 50;

    private final String label;
    private final ProjectModules modules;
    private final CodeFiles files;
    private final ModelReader reader;
    private final Map<String, String> appDirs;
    private Usages usages;
    private History history = History.NONE;

    /** Where satisfied findings look up the commit that removed a declaration. */
    public DeployedCode withHistory(History h) {
        if (this != NONE) {
            this.history = h;
        }
        return this;
    }

    private DeployedCode(String label, ProjectModules modules, CodeFiles files, Map<String, String> appDirs) {
        this.label = label;
        this.modules = modules;
        this.files = files;
        this.appDirs = appDirs;
        this.reader = modules == null ? null : new ModelReader(modules, appDirs);
    }

    /**
     * @param base the deployed side's files (Python modules and templates)
     * @param appDirs app label -> its folder with a trailing slash (where its migrations/ is)
     * @param migrationPaths the migration files' paths (their folders give the package roots)
     */
    public static DeployedCode of(Snapshot base, Map<String, String> appDirs, Iterable<String> migrationPaths,
                                  ModuleParser parser) {
        if (base == null || base.modules().isEmpty()) {
            return NONE;
        }
        String id = base.commitId() == null ? base.label() : base.commitId().substring(0, Math.min(10, base.commitId().length()));
        return new DeployedCode(id, new ProjectModules(base.modules(), migrationPaths, parser), new CodeFiles(base.modules()),
                appDirs);
    }

    /**
     * The folders (of {@code dirs}) whose models modules (models.py, models/) differ between the
     * two sides, by blob id, without reading anything: one pass over both sides' paths, as a
     * pre-commit run pays for it on every commit.
     */
    public static java.util.Set<String> modelsChanged(Snapshot base, Snapshot head, java.util.Collection<String> dirs) {
        java.util.Set<String> wanted = new java.util.HashSet<>(dirs);
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (Snapshot[] sides : List.of(new Snapshot[] {base, head}, new Snapshot[] {head, base})) {
            for (Map.Entry<String, dev.migsafe.git.SourceFile> e : sides[0].modules().entrySet()) {
                String dir = modelsDir(e.getKey());
                if (dir == null || !wanted.contains(dir) || out.contains(dir)) {
                    continue;
                }
                dev.migsafe.git.SourceFile other = sides[1].modules().get(e.getKey());
                if (other == null || other.blobId() == null || !other.blobId().equals(e.getValue().blobId())) {
                    out.add(dir);
                }
            }
        }
        return out;
    }

    /** The app folder of a models module path ("shop/orders/" for shop/orders/models.py or shop/orders/models/x.py), else null. */
    private static String modelsDir(String path) {
        if (!path.endsWith(".py")) {
            return null;
        }
        if (path.endsWith("/models.py") || path.equals("models.py")) {
            return path.substring(0, path.length() - "models.py".length());
        }
        int at = path.lastIndexOf("/models/");
        if (at >= 0 && !path.contains("/migrations/")) {
            return path.substring(0, at + 1);
        }
        return path.startsWith("models/") ? "" : null;
    }

    /** The head's own code, read like the deployed code (for rules about the head's models). */
    public static DeployedCode head(Snapshot head, Map<String, String> appDirs, Iterable<String> migrationPaths,
                                    ModuleParser parser) {
        return new DeployedCode("head", new ProjectModules(head.modules(), migrationPaths, parser),
                new CodeFiles(head.modules()), appDirs);
    }

    public boolean known() {
        return reader != null;
    }

    /** How messages name it: "the deployed code (base 1a2b3c4d5e)". */
    public String name() {
        return "the deployed code (base " + label + ")";
    }

    /** The model classes the deployed code declares in an app (for the models-ahead check on the head too). */
    public List<DeployedModel> models(String app) {
        return reader == null ? List.of() : reader.app(app);
    }

    /** Whether old code maps column {@code column} (field {@code field}) of the model's table. */
    public Mapping column(String app, String model, String table, String field, String column) {
        if (reader == null) {
            return Mapping.unknown("no deployed code");
        }
        List<DeployedModel> models = reader.app(app);
        if (reader.modelFiles(app).isEmpty()) {
            return Mapping.unknown("no models module of " + app + " found");
        }
        DeployedModel m = owner(models, model, table);
        if (m == null) {
            Mapping t = table(app, model, table);
            return t.state() == Mapping.State.GONE ? t : Mapping.unknown("no deployed model maps " + table);
        }
        DeployedField f = column == null ? null : m.byColumn(column);
        if (f == null) {
            f = m.fields().get(field);
        }
        if (f == null && ("id".equalsIgnoreCase(field) || "id".equalsIgnoreCase(column)) && !m.declaresPrimaryKey()) {
            return new Mapping(Mapping.State.MAPPED, "declares " + m.name() + " without a primary key of its own, so "
                    + "Django gives it the implicit id (" + m.path() + ":" + m.line() + ")",
                    new Evidence("declaration", m.path(), m.line(), 1, m.text()), null);
        }
        if (f != null) {
            Evidence where = f.line() < 1 ? null // a field of one of Django's own abstract bases: no line in the project
                    : new Evidence(f.deprecated() ? "deprecated" : "declaration", f.path(), f.line(), f.col(), f.text());
            if (f.deprecated()) {
                return new Mapping(Mapping.State.DEPRECATED, "wraps " + m.name() + "." + f.name() + " in "
                        + "deprecate_field at " + f.path() + ":" + f.line() + ", so Django no longer reads or writes "
                        + "the column", where, f);
            }
            return new Mapping(Mapping.State.MAPPED, "declares " + m.name() + "." + f.name() + " at " + f.path() + ":"
                    + f.line(), where, f);
        }
        java.util.regex.Matcher translated = TRANSLATED.matcher(field);
        if (translated.matches() && m.fields().containsKey(translated.group(1))) {
            return Mapping.unknown(field + " may be a column django-modeltranslation adds for " + translated.group(1));
        }
        if (!m.complete() || m.uncertain().contains(field) || m.uncertain().contains("*")
                || m.fields().values().stream().anyMatch(x -> x.column() == null && !DjangoBases.hasNoColumn(x.fieldClass()))) {
            return Mapping.unknown(m.name() + " has bases or attributes migsafe cannot read");
        }
        String removed = history.removedIn(m.path(), Pattern.compile("(?m)^\\s+" + Pattern.quote(field) + "\\s*[:=]"));
        return new Mapping(Mapping.State.GONE, "no longer maps " + app + "." + model + "." + field + ": class " + m.name()
                + " in " + m.path() + " declares no field for column " + (column == null ? field : column)
                + (removed == null ? "" : " (removed in " + removed + ")"), null, null);
    }

    /** Whether old code maps the table (a model class of the app whose table it is). */
    public Mapping table(String app, String model, String table) {
        if (reader == null) {
            return Mapping.unknown("no deployed code");
        }
        List<String> read = reader.modelFiles(app);
        if (read.isEmpty()) {
            return Mapping.unknown("no models module of " + app + " found");
        }
        List<DeployedModel> models = reader.app(app);
        DeployedModel m = owner(models, model, table);
        if (m != null) {
            Evidence where = new Evidence("declaration", m.path(), m.line(), 1, m.text());
            List<Evidence> uses = usesOfModel(app, m.name());
            // Unused only when nothing reaches it without naming it: no base migsafe cannot read (a
            // framework's page or polymorphic model), no multi-table parent, and no relation to
            // another model (deleting a row there makes Django's collector query this table).
            boolean reachable = !m.complete() || m.concreteParent()
                    || m.fields().values().stream().anyMatch(f -> f.relatesElsewhere(m.name()));
            if (uses.isEmpty() && !reachable && !mentionedElsewhere(m)) {
                return new Mapping(Mapping.State.UNUSED, "still declares " + m.label() + " (" + m.path() + ":" + m.line()
                        + ") but no longer uses it: no query, relation, admin, serializer or form names it", where, null);
            }
            List<Evidence> also = new ArrayList<>(relations(m));
            also.addAll(uses); // found once here, for the verdict and the evidence alike
            return new Mapping(Mapping.State.MAPPED, "declares " + m.label() + " at " + m.path() + ":" + m.line(), where, null,
                    also);
        }
        for (DeployedModel d : models) {
            if (d.hasTable() && d.table() == null) {
                return Mapping.unknown("a model of " + app + " has a db_table migsafe cannot read");
            }
            if (generatedFrom(model, d.name())) {
                // django-simple-history's HistoricalX, django-parler's XTranslation: no class declares them.
                return new Mapping(Mapping.State.UNKNOWN, "a library may generate " + model + " from " + d.name(),
                        generator(d), null);
            }
        }
        // A class of that name anywhere in the app's folder (outside what was read) keeps the answer open.
        Pattern declared = Pattern.compile("(?m)^[ \\t]*class[ \\t]+" + Pattern.quote(model) + "\\b");
        String dir = appDirs.getOrDefault(app, "");
        for (String path : files.paths()) {
            if (path.endsWith(".py") && path.startsWith(dir)) {
                String text = files.text(path);
                java.util.regex.Matcher found = text == null || !text.contains(model) ? null : declared.matcher(text);
                if (found != null && found.find()) {
                    int line = 1 + (int) text.substring(0, found.start()).chars().filter(ch -> ch == '\n').count();
                    return new Mapping(Mapping.State.UNKNOWN, "class " + model + " is declared in " + path
                            + ", but migsafe cannot tell which table it maps",
                            new Evidence("declaration", path, line, 1, Lines.of(text, line)), null);
                }
            }
        }
        String removed = null;
        for (String path : read) {
            removed = removed != null ? removed
                    : history.removedIn(path, Pattern.compile("(?m)^\\s*class\\s+" + Pattern.quote(model) + "\\b"));
        }
        return new Mapping(Mapping.State.GONE, "no longer maps " + app + "." + model + ": no model class of "
                + String.join(", ", read) + " maps table " + table + (removed == null ? "" : " (class " + model
                + " removed in " + removed + ")"), null, null);
    }

    /** The line that makes a library generate a model (`history = HistoricalRecords()`), else the class line. */
    private Evidence generator(DeployedModel d) {
        String text = files.text(d.path());
        if (text != null) {
            String[] lines = text.split("\n", -1);
            for (int i = d.line(); i < lines.length; i++) {
                if (lines[i].contains("HistoricalRecords(") || lines[i].contains("TranslatedFields(")) {
                    return new Evidence("declaration", d.path(), i + 1, 1, Lines.shorten(lines[i].strip()));
                }
                if (lines[i].startsWith("class ")) {
                    break; // the next class: not this model's
                }
            }
        }
        return new Evidence("declaration", d.path(), d.line(), 1, d.text());
    }

    /** Whether a model of this name is one a library generates from model {@code base} (history, translations). */
    private static boolean generatedFrom(String model, String base) {
        return model.equalsIgnoreCase("Historical" + base) || model.equalsIgnoreCase(base + "Translation");
    }

    /** A column django-modeltranslation adds for a declared field (title_en, title_pt_br for title). */
    private static final Pattern TRANSLATED = Pattern.compile("(.+)_[a-z]{2}(_[a-z]{2,4})?");

    /**
     * Whether any production file names the class other than on its own class line: a use the
     * evidence could not read (`models.Coupon`, `get_model("shop", "Coupon")`) still keeps a model
     * from counting as unused, as does a namesake (the cautious side).
     */
    private boolean mentionedElsewhere(DeployedModel m) {
        for (String path : files.paths()) {
            String text = files.text(path);
            if (text == null || !CodeFiles.hasWord(text, m.name())) {
                continue;
            }
            // Prose is no use: kitsune's Reply docstring says "the Tweet table gets truncated".
            text = path.endsWith(".py") ? CodeFiles.withoutProse(text) : text;
            if (!CodeFiles.hasWord(text, m.name())) {
                continue;
            }
            if (!path.equals(m.path())) {
                return true;
            }
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (i + 1 != m.line() && CodeFiles.hasWord(lines[i], m.name())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The relation fields that make a model reachable without being named (deleting the other side queries it). */
    public static List<Evidence> relations(DeployedModel m) {
        List<Evidence> out = new ArrayList<>();
        for (DeployedField f : m.fields().values()) {
            if (f.relatesElsewhere(m.name()) && f.line() > 0) {
                out.add(new Evidence("relation", f.path(), f.line(), f.col(), f.text()));
            }
        }
        return out;
    }

    /** The deployed model whose table this is, or the class of that name when its table is unknown. */
    private static DeployedModel owner(List<DeployedModel> models, String model, String table) {
        for (DeployedModel d : models) {
            if (d.mapsTable(table)) {
                return d;
            }
        }
        for (DeployedModel d : models) {
            if (d.hasTable() && d.table() == null && d.name().equalsIgnoreCase(model)) {
                return d;
            }
        }
        return null;
    }

    /** Where old code uses field {@code field} of model class {@code model}: declaration first. */
    public List<Evidence> usesOfField(Mapping mapping, String app, String model, String field) {
        if (reader == null) {
            return List.of();
        }
        List<Evidence> out = new ArrayList<>();
        if (mapping.where() != null) {
            out.add(mapping.where());
        }
        String owner = mapping.field() == null ? null : mapping.field().owner();
        String ownerPath = mapping.field() == null ? null : mapping.field().path();
        for (Evidence e : byKind(usages().ofField(model, packageOf(app), owner, ownerPath, field, MAX_EVIDENCE))) {
            if (out.size() < MAX_EVIDENCE && !sameLine(out, e)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The order a reviewer reads places in: code that queries first, then declarations of forms and admin, then templates. */
    private static final List<String> KIND_ORDER = List.of("declaration", "deprecated", "lookup", "attribute", "relation",
            "reference", "serializer", "form", "meta", "admin", "template");

    private static List<Evidence> byKind(List<Evidence> places) {
        List<Evidence> out = new ArrayList<>(places);
        out.sort(java.util.Comparator.comparingInt((Evidence e) -> KIND_ORDER.indexOf(e.kind())));
        return out;
    }

    /** Where old code uses model class {@code model} of app {@code app}, declaration excluded. */
    public List<Evidence> usesOfModel(String app, String model) {
        return reader == null ? List.of() : byKind(usages().ofModel(app, packageOf(app), model, MAX_EVIDENCE));
    }

    /** The app's dotted package (saleor.order), which code imports its models from. */
    private String packageOf(String app) {
        String dir = appDirs.get(app);
        if (dir == null) {
            return null;
        }
        String models = modules.nameOf(dir + "models.py");
        return models.contains(".") ? models.substring(0, models.lastIndexOf('.')) : "";
    }

    private static boolean sameLine(List<Evidence> list, Evidence e) {
        return list.stream().anyMatch(x -> x.path().equals(e.path()) && x.line() == e.line());
    }

    private Usages usages() {
        if (usages == null) {
            usages = new Usages(files, modules);
        }
        return usages;
    }
}
