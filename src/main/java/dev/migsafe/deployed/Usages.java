package dev.migsafe.deployed;

import dev.migsafe.migration.Evidence;
import dev.migsafe.python.ProjectModules;
import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Module;
import dev.migsafe.python.ast.Pos;
import dev.migsafe.python.ast.Stmt;
import dev.migsafe.python.ast.Walker;
import dev.migsafe.python.eval.ModuleScope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the deployed code uses a model's column or table: lookups on the model's managers
 * ({@code Order.objects.filter(note=...)}, values("note"), F("note") inside them, order_by("-note")),
 * attributes of instances whose type is evident (self in the class, a variable bound to
 * Order.objects.get(...), Order(...), get_object_or_404(Order, ...), a loop over a queryset, or
 * named after the model), serializers' and forms' Meta.fields, admin options, and templates.
 * Files are searched for the word first; only those that have it are parsed (through the cache).
 * What cannot be told statically is left out: this is evidence, not a proof of absence.
 */
final class Usages {

    private static final Set<String> QUERYSET_METHODS = Set.of("filter", "exclude", "get", "get_or_create",
            "update_or_create", "create", "update", "values", "values_list", "only", "defer", "order_by",
            "select_related", "prefetch_related", "annotate", "aggregate", "distinct", "in_bulk", "bulk_update",
            "bulk_create", "latest", "earliest", "alias");
    private static final Set<String> INSTANCE_METHODS = Set.of("get", "create", "first", "last", "earliest", "latest");
    // `exclude` names a field only to leave it out: no use.
    private static final Set<String> ADMIN_OPTIONS = Set.of("list_display", "search_fields", "list_filter", "fields",
            "readonly_fields", "ordering", "list_editable", "raw_id_fields", "autocomplete_fields",
            "list_display_links", "fieldsets", "prepopulated_fields", "date_hierarchy", "list_select_related");
    private static final Set<String> META_OPTIONS = Set.of("fields", "read_only_fields", "extra_kwargs");

    private final CodeFiles files;
    private final ProjectModules modules;

    Usages(CodeFiles files, ProjectModules modules) {
        this.files = files;
        this.modules = modules;
    }

    /** Uses of field {@code field} (column {@code column}) of model class {@code model}, in file order. */
    /**
     * @param owner the class that declares the field (an abstract base in another module uses it through self)
     * @param ownerPath the file that declares it
     */
    List<Evidence> ofField(String model, String appPackage, String owner, String ownerPath, String field, int cap) {
        List<Evidence> out = new ArrayList<>();
        for (String path : files.paths()) {
            if (out.size() >= cap) {
                break;
            }
            String text = files.text(path);
            if (text == null || !CodeFiles.hasField(text, field)) {
                continue;
            }
            if (path.endsWith(".py")) {
                if (CodeFiles.hasWord(text, model) || owner != null && CodeFiles.hasWord(text, owner)) {
                    python(path, model, appPackage, owner, ownerPath, field, out);
                }
            } else {
                template(path, text, model, field, out);
            }
        }
        return out.size() > cap ? out.subList(0, cap) : out;
    }

    /** Uses of model class {@code model} (label app.Model) other than its declaration. */
    List<Evidence> ofModel(String app, String appPackage, String model, int cap) {
        List<Evidence> out = new ArrayList<>();
        for (String path : files.paths()) {
            if (out.size() >= cap) {
                break;
            }
            String text = files.text(path);
            if (text == null || !path.endsWith(".py")) {
                continue;
            }
            boolean word = CodeFiles.hasWord(text, model);
            if (word || text.contains(app + "." + model)) {
                ProjectModules.Loaded m = modules.file(path);
                if (m != null) {
                    new ModelWalk(m, app, refOf(m, model, appPackage), out).run();
                }
            }
        }
        return out.size() > cap ? out.subList(0, cap) : out;
    }

    /**
     * How this module names the app's model: by its bare name (it declares it in the app's
     * package, imports it from there anywhere in the file, or binds it with get_model), and by
     * which module aliases ({@code models} in {@code from saleor.shipping import models}, for
     * {@code models.ShippingZone}). A namesake (a GraphQL type of the same name) is neither.
     */
    record ModelRef(String model, boolean bare, Set<String> aliases) {

        boolean any() {
            return bare || !aliases.isEmpty();
        }

        /** Whether the expression is the model: its bare name, or an alias's attribute. */
        boolean matches(Expr e) {
            if (e instanceof Expr.Name n) {
                return bare && n.id().equals(model);
            }
            return e instanceof Expr.Attribute a && a.attr().equals(model) && a.value() instanceof Expr.Name n
                    && aliases.contains(n.id());
        }
    }

    static ModelRef refOf(ProjectModules.Loaded m, String model, String appPackage) {
        if (appPackage == null) {
            return new ModelRef(model, true, Set.of()); // the app's package is unknown: take the name as the model's
        }
        Set<String> aliases = new HashSet<>();
        boolean imported = importsFrom(m.module().body(), model, appPackage, m.packageName(), aliases);
        // A class of that name declared here is the model only in the app's own package (else a namesake).
        boolean bare = m.scope().classes().containsKey(model)
                ? m.name().equals(appPackage) || m.name().startsWith(appPackage + ".") : imported;
        return new ModelRef(model, bare, aliases);
    }

    /** Whether the file imports the bare model from the app (anywhere in it); collects the app's module aliases. */
    private static boolean importsFrom(List<Stmt> body, String model, String appPackage, String pkg, Set<String> aliases) {
        boolean[] bare = {false};
        new Walker() {
            @Override
            public boolean stmt(Stmt s) {
                if (s instanceof Stmt.ImportFrom f) {
                    String from = ModuleScope.resolveRelative(f.module(), f.level(), pkg);
                    boolean inApp = from.equals(appPackage) || from.startsWith(appPackage + ".") || appPackage.isEmpty();
                    for (Stmt.Alias a : f.names()) {
                        if (inApp && (a.name().equals(model) && a.asName() == null || a.name().equals("*"))) {
                            bare[0] = true;
                        }
                        // `from saleor.shipping import models`: then models.ShippingZone is the app's model
                        String full = from.isEmpty() ? a.name() : from + "." + a.name();
                        if (full.startsWith(appPackage + ".") && Character.isLowerCase(a.name().charAt(0))) {
                            aliases.add(a.asName() != null ? a.asName() : a.name());
                        }
                    }
                } else if (s instanceof Stmt.Import i) {
                    for (Stmt.Alias a : i.names()) {
                        if (a.name().startsWith(appPackage + ".") && a.asName() != null) {
                            aliases.add(a.asName()); // import saleor.shipping.models as shipping_models
                        }
                    }
                } else if (s instanceof Stmt.Assign a && a.targets().size() == 1 && a.targets().get(0) instanceof Expr.Name n
                        && n.id().equals(model) && a.value() instanceof Expr.Call c && isGetModel(c, model)) {
                    bare[0] = true; // StockRecord = get_model("partner", "StockRecord") (django-oscar)
                }
                return true;
            }

            @Override
            public boolean expr(Expr e) {
                return false; // statements only
            }
        }.walk(body);
        return bare[0];
    }

    /** get_model("app", "Model") or apps.get_model("app.Model"), naming this model. */
    static boolean isGetModel(Expr.Call c, String model) {
        String f = c.func() instanceof Expr.Name n ? n.id() : c.func() instanceof Expr.Attribute a ? a.attr() : "";
        return f.endsWith("get_model") && c.args().stream().anyMatch(x -> x instanceof Expr.Str s
                && (s.value().equals(model) || s.value().endsWith("." + model)));
    }

    // ---- templates

    private static void template(String path, String text, String model, String field, List<Evidence> out) {
        String snake = snake(model);
        Pattern p = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\." + Pattern.quote(field) + "(?![A-Za-z0-9_])");
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (!line.contains("{{") && !line.contains("{%")) {
                continue;
            }
            Matcher m = p.matcher(line);
            while (m.find()) {
                String var = m.group(1).toLowerCase(Locale.ROOT);
                if (var.equals(snake) || var.endsWith("_" + snake) || var.equals(model.toLowerCase(Locale.ROOT))) {
                    out.add(new Evidence("template", path, i + 1, m.start() + 1, Lines.shorten(line.strip())));
                    break;
                }
            }
        }
    }

    /** OrderLine -> order_line: how Django projects name an instance of a model. */
    static String snake(String model) {
        return model.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    // ---- Python files, for a field

    private void python(String path, String model, String appPackage, String owner, String ownerPath, String field,
                        List<Evidence> out) {
        ProjectModules.Loaded m = modules.file(path);
        ModelRef ref = m == null ? null : refOf(m, model, appPackage);
        if (m == null || !ref.any() && !path.equals(ownerPath)) {
            return; // another class of the same name (a GraphQL type, a form), or one this file never imports
        }
        FieldWalk w = new FieldWalk(m, ref, owner, field, out);
        w.collectInstances(m.module().body());
        w.run();
    }

    /** First segment of a lookup ("-note", "note__icontains", "note_id") -> whether it names the field. */
    static boolean names(String lookup, String field) {
        String s = lookup;
        while (!s.isEmpty() && "-+?^=@".indexOf(s.charAt(0)) >= 0) {
            s = s.substring(1);
        }
        int sep = s.indexOf("__");
        String first = sep < 0 ? s : s.substring(0, sep);
        return first.equals(field) || first.equals(field + "_id");
    }

    /** Whether an expression's chain of attributes, calls and subscripts starts at the model ({@link ModelRef#matches}). */
    static boolean rootedAt(Expr e, ModelRef ref) {
        Expr cur = e;
        while (true) {
            if (ref.matches(cur)) {
                return true;
            }
            if (cur instanceof Expr.Attribute a) {
                cur = a.value();
            } else if (cur instanceof Expr.Call c) {
                cur = c.func();
            } else if (cur instanceof Expr.Subscript s) {
                cur = s.value();
            } else {
                return false;
            }
        }
    }

    /** A walk over one module, adding evidence once per line. */
    private abstract static class Walk extends Walker {
        final ProjectModules.Loaded m;
        /** The innermost class whose body the walk is in, or null. */
        Stmt.ClassDef cls;
        final List<Evidence> out;
        final Set<Integer> lines = new HashSet<>();

        Walk(ProjectModules.Loaded m, List<Evidence> out) {
            this.m = m;
            this.out = out;
        }

        void add(String kind, Pos pos) {
            if (lines.add(pos.line())) {
                out.add(new Evidence(kind, m.path(), pos.line(), pos.column(), Lines.of(m.module(), pos.line())));
            }
        }

        void run() {
            walk(m.module().body());
        }

        @Override
        public boolean stmt(Stmt s) {
            if (!(s instanceof Stmt.ClassDef c)) {
                return true;
            }
            classDef(c);
            c.bases().forEach(this::walk);
            c.keywords().forEach(k -> walk(k.value()));
            c.decorators().forEach(this::walk);
            Stmt.ClassDef outer = cls;
            cls = c;
            walk(c.body());
            cls = outer;
            return false; // its parts are walked above, with the class known
        }

        @Override
        public boolean expr(Expr e) {
            visit(e);
            return true;
        }

        void classDef(Stmt.ClassDef c) {}

        /** One expression; the walk then visits its children. */
        abstract void visit(Expr e);

        /** What a Meta's `model = X` names, or null. */
        static Expr metaModel(Stmt.ClassDef c) {
            for (Stmt s : c.body()) {
                if (s instanceof Stmt.ClassDef d && d.name().equals("Meta")) {
                    for (Stmt t : d.body()) {
                        if (t instanceof Stmt.Assign a && a.targets().size() == 1
                                && a.targets().get(0) instanceof Expr.Name n && n.id().equals("model")) {
                            return a.value();
                        }
                    }
                }
            }
            return null;
        }

        static String metaKind(Stmt.ClassDef c) {
            for (Expr b : c.bases()) {
                String name = b instanceof Expr.Name n ? n.id() : b instanceof Expr.Attribute a ? a.attr() : "";
                if (name.contains("Serializer")) {
                    return "serializer";
                }
                if (name.contains("Form")) {
                    return "form";
                }
            }
            return "meta";
        }

        /** Admin classes registered for {@code model}: @admin.register(Model) or site.register(Model, Admin). */
        static Set<String> adminClasses(Module module, ModelRef ref) {
            Set<String> out = new HashSet<>();
            for (Stmt s : module.body()) {
                if (s instanceof Stmt.ClassDef c) {
                    for (Expr d : c.decorators()) {
                        if (d instanceof Expr.Call call && call.func() instanceof Expr.Attribute a
                                && a.attr().equals("register") && call.args().stream().anyMatch(ref::matches)) {
                            out.add(c.name());
                        }
                    }
                } else if (s instanceof Stmt.ExprStmt e && e.value() instanceof Expr.Call call
                        && call.func() instanceof Expr.Attribute a && a.attr().equals("register")
                        && call.args().size() >= 2 && ref.matches(call.args().get(0))
                        && call.args().get(1) instanceof Expr.Name admin) {
                    out.add(admin.id());
                }
            }
            return out;
        }

    }

    /** Uses of one field of one model. */
    private static final class FieldWalk extends Walk {
        final String model;
        final ModelRef ref;
        final String owner;
        final String field;
        final Set<String> instances = new HashSet<>();
        final Set<String> admins;

        /** @param owner the class that declares the field (an abstract base's methods use it through self), or null */
        FieldWalk(ProjectModules.Loaded m, ModelRef ref, String owner, String field, List<Evidence> out) {
            super(m, out);
            this.model = ref.model();
            this.ref = ref;
            this.owner = owner;
            this.field = field;
            if (ref.any()) {
                this.instances.add(snake(model));
            }
            this.admins = adminClasses(m.module(), ref);
        }

        /** Names the module binds to an instance of the model (anywhere: a reviewer's reading, not a type check). */
        void collectInstances(List<Stmt> body) {
            new Walker() {
                @Override
                public boolean stmt(Stmt s) {
                    if (s instanceof Stmt.Assign a && instance(a.value())) {
                        a.targets().forEach(t -> {
                            if (t instanceof Expr.Name n) {
                                instances.add(n.id());
                            }
                        });
                    } else if (s instanceof Stmt.For f && f.target() instanceof Expr.Name n && rootedAt(f.iter(), ref)) {
                        instances.add(n.id());
                    }
                    return true;
                }

                @Override
                public boolean expr(Expr e) {
                    return false; // statements only
                }
            }.walk(body);
        }

        private boolean instance(Expr v) {
            if (v instanceof Expr.Call c) {
                if (ref.matches(c.func())) {
                    return true;
                }
                if (c.func() instanceof Expr.Name n && n.id().equals("get_object_or_404") && !c.args().isEmpty()
                        && ref.matches(c.args().get(0))) {
                    return true;
                }
                return c.func() instanceof Expr.Attribute a && INSTANCE_METHODS.contains(a.attr()) && rootedAt(a.value(), ref);
            }
            return v instanceof Expr.Subscript s && rootedAt(s.value(), ref);
        }

        @Override
        void classDef(Stmt.ClassDef c) {
            if (metaModel(c) != null && ref.matches(metaModel(c))) {
                options(c, META_OPTIONS, metaKind(c), true);
            }
            if (admins.contains(c.name())) {
                options(c, ADMIN_OPTIONS, "admin", false);
            }
        }

        /** String literals naming the field in the class's (or its Meta's) options. */
        private void options(Stmt.ClassDef c, Set<String> names, String kind, boolean inMeta) {
            for (Stmt s : c.body()) {
                if (inMeta && s instanceof Stmt.ClassDef d && d.name().equals("Meta")) {
                    options(d, names, kind, false);
                } else if (s instanceof Stmt.Assign a && a.targets().size() == 1
                        && a.targets().get(0) instanceof Expr.Name n && names.contains(n.id())) {
                    strings(a.value(), kind);
                }
            }
        }

        /** The string literals anywhere in the expression that name the field. */
        private void strings(Expr e, String kind) {
            new Walker() {
                @Override
                public boolean expr(Expr x) {
                    if (x instanceof Expr.Str s && names(s.value(), field)) {
                        add(kind, s.pos());
                    }
                    return true;
                }
            }.walk(e);
        }

        @Override
        void visit(Expr e) {
            if (e instanceof Expr.Call c && c.func() instanceof Expr.Attribute a && QUERYSET_METHODS.contains(a.attr())
                    && rootedAt(a.value(), ref)) {
                lookups(c);
            } else if (e instanceof Expr.Call c && ref.matches(c.func())) {
                lookups(c); // Model(note=...)
            } else if (e instanceof Expr.Attribute a && a.attr().equals(field) && a.value() instanceof Expr.Name n
                    && (instances.contains(n.id()) || n.id().equals("self") && cls != null
                    && (cls.name().equals(model) || cls.name().equals(owner)))) {
                add("attribute", a.pos());
            }
        }

        /** The call's keywords and strings (F("note"), "-note", values("note")) that name the field. */
        private void lookups(Expr.Call c) {
            for (Expr.Keyword k : c.keywords()) {
                if (k.name() != null && names(k.name(), field)) {
                    add("lookup", k.pos());
                }
            }
            for (Expr arg : c.args()) {
                strings(arg, "lookup");
            }
            for (Expr.Keyword k : c.keywords()) {
                strings(k.value(), "lookup");
            }
        }
    }

    /** Uses of one model class: queries, relations to it, admin, serializers and forms. */
    private static final class ModelWalk extends Walk {
        final String app;
        final String model;
        /** How this file names the model (when it does not, only "app.Model" strings count). */
        final ModelRef ref;

        ModelWalk(ProjectModules.Loaded m, String app, ModelRef ref, List<Evidence> out) {
            super(m, out);
            this.app = app;
            this.model = ref.model();
            this.ref = ref;
        }

        @Override
        void classDef(Stmt.ClassDef c) {
            if (metaModel(c) != null && ref.matches(metaModel(c))) {
                for (Stmt s : c.body()) {
                    if (s instanceof Stmt.ClassDef d && d.name().equals("Meta")) {
                        for (Stmt t : d.body()) {
                            if (t instanceof Stmt.Assign a && a.targets().get(0) instanceof Expr.Name n
                                    && n.id().equals("model")) {
                                add(metaKind(c), t.pos()); // the `model = X` line
                            }
                        }
                    }
                }
            }
        }

        @Override
        void visit(Expr e) {
            if (!ref.any()) {
                if (e instanceof Expr.Str s && s.value().equalsIgnoreCase(app + "." + model)) {
                    add("relation", s.pos());
                }
                return;
            }
            if (e instanceof Expr.Attribute a && ref.matches(a.value())) {
                add(a.attr().equals("objects") || a.attr().startsWith("_") ? "lookup" : "reference", a.pos());
            } else if (e instanceof Expr.Call c) {
                String f = c.func() instanceof Expr.Name n ? n.id() : c.func() instanceof Expr.Attribute a ? a.attr() : "";
                boolean relation = f.endsWith("ForeignKey") || f.equals("OneToOneField") || f.equals("ManyToManyField");
                // A string names the model only in a relation or a registry lookup, not in verbose_name=_("Likes").
                boolean byString = !c.args().isEmpty() && c.args().get(0) instanceof Expr.Str s && relation
                        && (s.value().equals(model) || s.value().equalsIgnoreCase(app + "." + model));
                if (!c.args().isEmpty() && ref.matches(c.args().get(0)) || byString) {
                    add(relation ? "relation" : f.equals("register") ? "admin" : "reference", c.pos());
                } else if (isGetModel(c, model)) {
                    add("reference", c.pos());
                } else if (ref.matches(c.func())) {
                    add("reference", c.pos());
                }
            }
        }
    }
}
