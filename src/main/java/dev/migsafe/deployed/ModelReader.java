package dev.migsafe.deployed;

import dev.migsafe.migration.DjangoNames;
import dev.migsafe.python.ProjectModules;
import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Stmt;
import dev.migsafe.python.eval.Bindings;
import dev.migsafe.python.eval.ModuleScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the model classes of an app from its models modules (models.py, a models/ package and
 * the app's modules they import from), statically: bases are followed through imports across the
 * project (abstract bases and mixins in other apps), Meta is read for db_table, managed, abstract,
 * proxy and app_label. A base that cannot be followed (a third-party class) makes the model
 * incomplete: its own fields are known, but a name it lacks may still be a field.
 */
final class ModelReader {

    /** How many classes deep bases are followed. */
    private static final int MAX_DEPTH = 10;

    /** What a class is, once its bases are followed. */
    enum Kind { MODEL, MIXIN, UNKNOWN }

    /** A class resolved: its kind, the fields (and Meta) it passes on, and whether all is known. */
    record ClassInfo(Kind kind, boolean abstractModel, Map<String, DeployedField> fields, Set<String> uncertain,
                     boolean complete, Map<String, Expr> meta, String qualified, boolean concreteParent) {}

    private static final ClassInfo UNKNOWN = new ClassInfo(Kind.UNKNOWN, false, Map.of(), Set.of(), false, Map.of(), null,
            false);
    private static final ClassInfo DJANGO_MODEL = new ClassInfo(Kind.MODEL, true, Map.of(), Set.of(), true, Map.of(), null,
            false);

    private final ProjectModules modules;
    private final Map<String, String> appDirs;
    private final Map<String, Optional<ClassInfo>> classes = new HashMap<>();
    private final Map<String, List<DeployedModel>> byApp = new HashMap<>();

    /** @param appDirs app label -> its folder ("shop/orders/"), from where its migrations are */
    ModelReader(ProjectModules modules, Map<String, String> appDirs) {
        this.modules = modules;
        this.appDirs = appDirs;
    }

    /** The model classes (abstract ones too) that the app's models modules declare. */
    List<DeployedModel> app(String label) {
        return byApp.computeIfAbsent(label, this::readApp);
    }

    /** The app's models modules as paths (models.py, models/**.py, and app modules they import from). */
    List<String> modelFiles(String label) {
        String dir = appDirs.get(label);
        if (dir == null) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String path : modules.files().keySet()) {
            String rest = path.startsWith(dir) ? path.substring(dir.length()) : null;
            if (rest != null && (rest.equals("models.py") || rest.startsWith("models/") && !rest.contains("/migrations/"))) {
                out.add(path);
            }
        }
        for (String path : List.copyOf(out)) {
            ProjectModules.Loaded m = modules.file(path);
            if (m == null) {
                continue;
            }
            for (String target : importedModules(m)) {
                ProjectModules.Loaded t = modules.module(target);
                if (t != null && t.path().startsWith(dir) && !t.path().contains("/migrations/")) {
                    out.add(t.path());
                }
            }
        }
        List<String> sorted = new ArrayList<>();
        for (String path : out) {
            if (label.equals(appOf(path))) {
                sorted.add(path); // not the models of an app nested in this one's folder
            }
        }
        java.util.Collections.sort(sorted);
        return sorted;
    }

    /** The app whose folder holds the file most closely (apps may nest: projects/ and projects/custom_attributes/). */
    private String appOf(String path) {
        String best = null;
        int length = -1;
        for (Map.Entry<String, String> e : appDirs.entrySet()) {
            if (path.startsWith(e.getValue()) && e.getValue().length() > length) {
                best = e.getKey();
                length = e.getValue().length();
            }
        }
        return best;
    }

    /** Modules a file imports names from (star imports included): where its model classes may live. */
    private static Set<String> importedModules(ProjectModules.Loaded m) {
        Set<String> out = new LinkedHashSet<>();
        for (String q : m.scope().imports().values()) {
            int dot = q.lastIndexOf('.');
            if (dot > 0) {
                out.add(q.substring(0, dot));
            }
            out.add(q);
        }
        String pkg = m.packageName();
        for (Stmt s : m.module().body()) {
            if (s instanceof Stmt.ImportFrom f && f.names().stream().anyMatch(a -> a.name().equals("*"))) {
                out.add(ModuleScope.resolveRelative(f.module(), f.level(), pkg));
            }
        }
        return out;
    }

    private List<DeployedModel> readApp(String label) {
        List<DeployedModel> out = new ArrayList<>();
        for (String path : modelFiles(label)) {
            ProjectModules.Loaded m = modules.file(path);
            if (m == null) {
                continue;
            }
            for (Stmt.ClassDef c : classes(m.module().body())) {
                // A class under `if` (django-oscar's `if not is_model_registered(...)`) is read by itself.
                ClassInfo info = m.scope().classes().get(c.name()) == c && !m.scope().isConditional(c.name())
                        ? resolve(m.name() + "." + c.name(), 0, new HashSet<>()) : classInfo(m, c, 0, new HashSet<>());
                if (info.kind() == Kind.MODEL) {
                    out.add(model(label, m, c, info));
                }
            }
        }
        return out;
    }

    /** Top-level classes, and those one `if` deep (the pattern of apps meant to be forked). */
    private static List<Stmt.ClassDef> classes(List<Stmt> body) {
        List<Stmt.ClassDef> out = new ArrayList<>();
        for (Stmt s : body) {
            if (s instanceof Stmt.ClassDef c) {
                out.add(c);
            } else if (s instanceof Stmt.If i) {
                for (Stmt t : i.body()) {
                    if (t instanceof Stmt.ClassDef c) {
                        out.add(c);
                    }
                }
            }
        }
        return out;
    }

    private DeployedModel model(String appLabel, ProjectModules.Loaded m, Stmt.ClassDef c, ClassInfo info) {
        String app = str(info.meta().get("app_label"));
        if (app == null) {
            app = appLabel;
        }
        boolean proxy = Boolean.TRUE.equals(bool(info.meta().get("proxy")));
        Boolean managed = info.meta().containsKey("managed") ? bool(info.meta().get("managed")) : Boolean.TRUE;
        String table;
        if (info.meta().containsKey("db_table")) {
            table = str(info.meta().get("db_table"));
        } else {
            table = app + "_" + c.name().toLowerCase(Locale.ROOT);
        }
        return new DeployedModel(app, c.name(), m.path(), c.pos().line(), Lines.of(m.module(), c.pos().line()),
                info.abstractModel(), proxy, managed, table, info.fields(), info.uncertain(), info.complete(),
                info.concreteParent());
    }

    /** A class by qualified name: Django's Model, one of Django's abstract bases, or the project's. */
    ClassInfo resolve(String qualified, int depth, Set<String> visiting) {
        if (DjangoBases.isModel(qualified)) {
            return DJANGO_MODEL;
        }
        List<String> djangoFields = DjangoBases.abstractFields(qualified);
        if (djangoFields != null) {
            Map<String, DeployedField> fields = new LinkedHashMap<>();
            for (String f : djangoFields) {
                boolean m2m = f.equals("groups") || f.equals("user_permissions");
                fields.put(f, new DeployedField(f, m2m ? null : f, m2m ? "ManyToManyField" : "Field", false, null, false,
                        false, qualified, 0, 0, qualified, DjangoNames.lastName(qualified), false, null, true));
            }
            return new ClassInfo(Kind.MODEL, true, fields, Set.of(), true, Map.of(), qualified, false);
        }
        if (qualified.startsWith("django.") || qualified.equals("object") || qualified.equals("builtins.object")) {
            return qualified.equals("object") || qualified.equals("builtins.object")
                    ? new ClassInfo(Kind.MIXIN, false, Map.of(), Set.of(), true, Map.of(), qualified, false) : UNKNOWN;
        }
        Optional<ClassInfo> known = classes.get(qualified);
        if (known != null) {
            return known.orElse(UNKNOWN);
        }
        if (depth >= MAX_DEPTH || !visiting.add(qualified)) {
            return UNKNOWN;
        }
        ClassInfo out = follow(qualified, depth, visiting);
        visiting.remove(qualified);
        classes.put(qualified, Optional.of(out));
        return out;
    }

    private ClassInfo follow(String qualified, int depth, Set<String> visiting) {
        int dot = qualified.lastIndexOf('.');
        if (dot <= 0) {
            return UNKNOWN;
        }
        ProjectModules.Loaded m = modules.module(qualified.substring(0, dot));
        if (m == null) {
            return UNKNOWN;
        }
        String name = qualified.substring(dot + 1);
        Stmt.ClassDef c = m.scope().classes().get(name);
        if (c == null || m.scope().isConditional(name)) {
            String imported = m.scope().imports().get(name); // re-exported: from .base import Base
            if (c == null && imported != null && !imported.equals(qualified)) {
                return resolve(imported, depth + 1, visiting);
            }
            if (c == null) {
                return viaStarImports(m, name, depth, visiting); // from .features import *
            }
            return UNKNOWN;
        }
        return classInfo(m, c, depth, visiting);
    }

    /** A name a module only has through `from x import *`: the first star-imported module that resolves it. */
    private ClassInfo viaStarImports(ProjectModules.Loaded m, String name, int depth, Set<String> visiting) {
        String pkg = m.packageName();
        for (Stmt s : m.module().body()) {
            if (s instanceof Stmt.ImportFrom f && f.names().stream().anyMatch(a -> a.name().equals("*"))) {
                ClassInfo info = resolve(ModuleScope.resolveRelative(f.module(), f.level(), pkg) + "." + name, depth + 1, visiting);
                if (info.kind() != Kind.UNKNOWN) {
                    return info;
                }
            }
        }
        return UNKNOWN;
    }

    private ClassInfo classInfo(ProjectModules.Loaded m, Stmt.ClassDef c, int depth, Set<String> visiting) {
        List<ClassInfo> bases = new ArrayList<>();
        for (Expr b : c.bases()) {
            String q = m.scope().qualify(b, m.name());
            // A bare name the module has from nowhere else came with `from x import *` (django-oscar's models).
            bases.add(q != null ? resolve(q, depth + 1, visiting)
                    : b instanceof Expr.Name n ? viaStarImports(m, n.id(), depth, visiting) : UNKNOWN);
        }
        Map<String, Expr> meta = meta(c);
        boolean anyModel = bases.stream().anyMatch(b -> b.kind() == Kind.MODEL);
        boolean anyUnknown = bases.stream().anyMatch(b -> b.kind() == Kind.UNKNOWN);
        Body body = body(m, c, c.name());
        Kind kind;
        if (anyModel) {
            kind = Kind.MODEL;
        } else if (anyUnknown && (body.fieldLike || !meta.isEmpty())) {
            kind = Kind.MODEL; // a third-party model base (TimeStampedModel, MPTTModel): its fields are unknown
        } else {
            kind = anyUnknown ? Kind.UNKNOWN : Kind.MIXIN;
        }
        boolean complete = !anyUnknown && bases.stream().allMatch(ClassInfo::complete);
        Map<String, DeployedField> fields = new LinkedHashMap<>();
        Set<String> uncertain = new HashSet<>();
        // Later bases first, so that the first base's fields win, as Python's MRO would have it.
        for (int i = bases.size() - 1; i >= 0; i--) {
            ClassInfo b = bases.get(i);
            uncertain.addAll(b.uncertain());
            if (b.kind() == Kind.MODEL && b.abstractModel()) {
                fields.putAll(b.fields());
            } else if (b.kind() == Kind.MIXIN) {
                uncertain.addAll(b.fields().keySet()); // Django ignores fields on plain mixins, but be careful
            }
        }
        for (ClassInfo b : bases) {
            if (b.kind() == Kind.MODEL && !b.abstractModel() && b.qualified() != null) {
                String parent = DjangoNames.lastName(b.qualified()).toLowerCase(Locale.ROOT);
                String ptr = parent + "_ptr";
                fields.putIfAbsent(ptr, new DeployedField(ptr, ptr + "_id", "OneToOneField", false, false, false, false,
                        m.path(), c.pos().line(), c.pos().column(), Lines.of(m.module(), c.pos().line()), c.name(), true,
                        DjangoNames.lastName(b.qualified()), true));
            }
        }
        fields.putAll(body.fields);
        uncertain.addAll(body.uncertain);
        uncertain.removeAll(body.fields.keySet());
        boolean abstractModel = Boolean.TRUE.equals(bool(meta.get("abstract")));
        if (!metaDeclared(c)) {
            // No Meta of its own: Django hands down the abstract parent's Meta (db_table, managed).
            for (int i = bases.size() - 1; i >= 0; i--) {
                ClassInfo b = bases.get(i);
                if (b.kind() == Kind.MODEL && b.abstractModel()) {
                    Map<String, Expr> inherited = new HashMap<>(b.meta());
                    inherited.remove("abstract");
                    inherited.putAll(meta);
                    meta = inherited;
                }
            }
        } else if (!meta.containsKey("managed")) {
            for (ClassInfo b : bases) {
                if (b.kind() == Kind.MODEL && b.abstractModel() && b.meta().containsKey("managed")) {
                    meta = new HashMap<>(meta);
                    meta.put("managed", b.meta().get("managed"));
                    break;
                }
            }
        }
        boolean concreteParent = bases.stream().anyMatch(b -> b.kind() == Kind.MODEL && !b.abstractModel() || b.concreteParent());
        return new ClassInfo(kind, abstractModel, fields, uncertain, complete || kind != Kind.MODEL && !anyUnknown, meta,
                m.name() + "." + c.name(), concreteParent);
    }

    private static boolean metaDeclared(Stmt.ClassDef c) {
        return c.body().stream().anyMatch(s -> s instanceof Stmt.ClassDef d && d.name().equals("Meta"));
    }

    /** Meta's literal attributes (db_table, managed, abstract, proxy, app_label). */
    private static Map<String, Expr> meta(Stmt.ClassDef c) {
        Map<String, Expr> out = new HashMap<>();
        for (Stmt s : c.body()) {
            if (s instanceof Stmt.ClassDef d && d.name().equals("Meta")) {
                for (Stmt t : d.body()) {
                    if (t instanceof Stmt.Assign a && a.targets().size() == 1 && a.targets().get(0) instanceof Expr.Name n) {
                        out.put(n.id(), a.value());
                    }
                }
            }
        }
        return out;
    }

    /** A class body read: its fields, other names it binds, and whether anything in it looks like a field. */
    private static final class Body {
        final Map<String, DeployedField> fields = new LinkedHashMap<>();
        final Set<String> uncertain = new HashSet<>();
        boolean fieldLike;
    }

    private static Body body(ProjectModules.Loaded m, Stmt.ClassDef c, String owner) {
        Body out = new Body();
        for (Stmt s : c.body()) {
            String name = null;
            Expr value = null;
            if (s instanceof Stmt.Assign a && a.targets().size() == 1 && a.targets().get(0) instanceof Expr.Name n) {
                name = n.id();
                value = a.value();
            } else if (s instanceof Stmt.AnnAssign a && a.target() instanceof Expr.Name n) {
                name = n.id();
                value = a.value();
            } else if (s instanceof Stmt.Assign a) {
                a.targets().forEach(t -> Bindings.names(t, out.uncertain));
                continue;
            } else if (s instanceof Stmt.If || s instanceof Stmt.Try || s instanceof Stmt.For || s instanceof Stmt.With) {
                out.uncertain.add("*"); // names bound conditionally: any name may be a field
                continue;
            } else {
                continue;
            }
            DeployedField f = value == null ? null : field(m, name, value, s.pos(), owner);
            if (f != null) {
                out.fields.put(f.name(), f);
                out.fieldLike = true;
            } else {
                out.uncertain.add(name);
            }
        }
        return out;
    }

    /** A field declaration (deprecate_field(...) around it included), or null when the value is no field. */
    private static DeployedField field(ProjectModules.Loaded m, String name, Expr value, dev.migsafe.python.ast.Pos pos,
                                       String owner) {
        if (!(value instanceof Expr.Call call)) {
            return null;
        }
        String qualified = m.scope().qualify(call.func(), m.name());
        String simple = simpleName(call.func());
        if (simple == null) {
            return null;
        }
        boolean deprecated = false;
        if (simple.equals("deprecate_field")) {
            if (call.args().isEmpty() || !(call.args().get(0) instanceof Expr.Call inner)) {
                return null;
            }
            deprecated = true;
            call = inner;
            qualified = m.scope().qualify(call.func(), m.name());
            simple = simpleName(call.func());
            if (simple == null) {
                return null;
            }
        }
        if (!DjangoBases.isFieldClass(simple, qualified)) {
            return null;
        }
        String column = null;
        boolean primaryKey = false;
        String target = null;
        if ((DjangoBases.isRelationWithId(simple) || simple.equals("ManyToManyField")) && !simple.equals("GenericForeignKey")) {
            Expr to = call.args().isEmpty() ? null : call.args().get(0);
            for (Expr.Keyword k : call.keywords()) {
                if ("to".equals(k.name())) {
                    to = k.value();
                }
            }
            target = to instanceof Expr.Str s ? s.value() : to instanceof Expr.Name n ? n.id()
                    : to instanceof Expr.Attribute a ? a.attr() : to == null ? null : "?";
        }
        Boolean nullable = Boolean.FALSE;
        boolean hasDefault = false;
        boolean hasDbDefault = false;
        for (Expr.Keyword k : call.keywords()) {
            if ("db_column".equals(k.name())) {
                column = k.value() instanceof Expr.Str str ? str.value() : "?";
            } else if ("null".equals(k.name())) {
                nullable = bool(k.value());
            } else if ("default".equals(k.name())) {
                hasDefault = true;
            } else if ("db_default".equals(k.name())) {
                hasDbDefault = true;
            } else if ("primary_key".equals(k.name())) {
                primaryKey = !Boolean.FALSE.equals(bool(k.value()));
            } else if ("name".equals(k.name()) && k.value() instanceof Expr.Str s) {
                name = s.value(); // `created = DateTimeField(name="date")`: the field is "date"
            }
        }
        if ("?".equals(column)) {
            column = null; // db_column not a literal: which column it maps is unknown
        } else if (column == null && !DjangoBases.hasNoColumn(simple)) {
            column = DjangoBases.isRelationWithId(simple) ? name + "_id" : name;
        }
        return new DeployedField(name, column, simple, deprecated, nullable, hasDefault, hasDbDefault, m.path(),
                pos.line(), pos.column(), Lines.of(m.module(), pos.line()), owner, primaryKey, target,
                DjangoBases.isDjangoFieldClass(qualified));
    }

    private static String simpleName(Expr func) {
        if (func instanceof Expr.Name n) {
            return n.id();
        }
        if (func instanceof Expr.Attribute a) {
            return a.attr();
        }
        return null;
    }

    static String str(Expr e) {
        return e instanceof Expr.Str s ? s.value() : null;
    }

    static Boolean bool(Expr e) {
        if (e instanceof Expr.Constant c) {
            return c.kind() == Expr.Constant.Kind.TRUE ? Boolean.TRUE
                    : c.kind() == Expr.Constant.Kind.FALSE ? Boolean.FALSE : null;
        }
        return null;
    }
}
