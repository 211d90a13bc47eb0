package dev.migsafe.graph;

import dev.migsafe.python.ast.Expr;
import dev.migsafe.python.ast.Module;
import dev.migsafe.python.ast.Stmt;
import dev.migsafe.python.eval.ModuleScope;
import dev.migsafe.python.eval.StaticEvaluator;
import dev.migsafe.python.eval.Value;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * What one settings module leaves in the settings that decide a lock_timeout during `migrate`,
 * read statically in statement order: DATABASES["default"]'s ENGINE and its OPTIONS["options"]
 * (the libpq options string), and ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT. Only "default" counts:
 * `migrate` runs there unless told otherwise. Statements at the module's top level and in `try`
 * bodies count; those under `if`, `for`, `with` or in functions do not (whether they run depends
 * on the environment), neither to set a value nor to take one away. A value built at run time
 * (os.environ, dj_database_url, an f-string) is {@link Kind#UNKNOWN}, never guessed.
 */
final class DefaultDatabase {

    static final String DATABASES = "DATABASES";
    static final String ZERO_DOWNTIME_LOCK_TIMEOUT = "ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT";

    enum Kind {
        /** Not set (by this module, or a dict assigned without the key). */
        ABSENT,
        KNOWN,
        /** Set to something only running the module would tell. */
        UNKNOWN
    }

    /**
     * One setting's value.
     *
     * @param text the string it holds (KNOWN only)
     * @param line where that string is written
     * @param unknownPrefix the string was appended (`+=`) to one migsafe cannot know: only what
     *                      {@code text} says for itself is known (a later `-c` wins, so an
     *                      appended switch still decides)
     */
    record Setting(Kind kind, String text, int line, boolean unknownPrefix) {
        static final Setting ABSENT = new Setting(Kind.ABSENT, null, 0, false);
        static final Setting UNKNOWN = new Setting(Kind.UNKNOWN, null, 0, false);

        boolean known() {
            return kind == Kind.KNOWN;
        }
    }

    private Setting engine = Setting.ABSENT;
    private Setting options = Setting.ABSENT;
    private Setting zeroDowntimeLockTimeout = Setting.ABSENT;
    private final StaticEvaluator evaluator;

    private DefaultDatabase(StaticEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    /** What {@code module}'s statements leave; {@code packageName} resolves its relative imports. */
    static DefaultDatabase of(Module module, String packageName) {
        DefaultDatabase d = new DefaultDatabase(new StaticEvaluator(module, new ModuleScope(module, packageName)));
        d.run(module.body());
        return d;
    }

    /** DATABASES["default"]["ENGINE"]. */
    Setting engine() {
        return engine;
    }

    /** DATABASES["default"]["OPTIONS"]["options"]. */
    Setting options() {
        return options;
    }

    /** ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT (None is ABSENT: the package then sets none). */
    Setting zeroDowntimeLockTimeout() {
        return zeroDowntimeLockTimeout;
    }

    private void run(List<Stmt> body) {
        for (Stmt s : body) {
            if (s instanceof Stmt.Assign a) {
                a.targets().forEach(target -> assign(target, a.value()));
            } else if (s instanceof Stmt.AnnAssign a && a.value() != null) {
                assign(a.target(), a.value());
            } else if (s instanceof Stmt.AugAssign a) {
                augment(a);
            } else if (s instanceof Stmt.ExprStmt e && e.value() instanceof Expr.Call c) {
                update(c);
            } else if (s instanceof Stmt.Try t) {
                run(t.body());
            }
        }
    }

    private void assign(Expr target, Expr value) {
        if (target instanceof Expr.Name n && n.id().equals(ZERO_DOWNTIME_LOCK_TIMEOUT)) {
            zeroDowntimeLockTimeout = durationSetting(evaluator.eval(value));
            return;
        }
        Path path = path(target);
        if (path != null) {
            set(path, evaluator.eval(value));
        }
    }

    /**
     * The keys below DATABASES that a target names (DATABASES["default"]["OPTIONS"] is
     * [default, OPTIONS]), or null when it is not below DATABASES. A key only running the
     * module would tell ends the path with {@code unknownKey} set.
     */
    private record Path(List<String> keys, boolean unknownKey) {}

    private Path path(Expr target) {
        List<Expr> chain = new ArrayList<>();
        Expr e = target;
        while (e instanceof Expr.Subscript sub) {
            if (sub.index().size() != 1) {
                return null;
            }
            chain.add(0, sub.index().get(0));
            e = sub.value();
        }
        if (!(e instanceof Expr.Name n) || !n.id().equals(DATABASES)) {
            return null;
        }
        List<String> keys = new ArrayList<>();
        for (Expr k : chain) {
            if (evaluator.eval(k) instanceof Value.Str s && !s.bytes()) {
                keys.add(s.value());
            } else {
                return new Path(keys, true);
            }
        }
        return new Path(keys, false);
    }

    /** The keys below DATABASES that decide what is tracked: default, then ENGINE or OPTIONS, then options. */
    private static boolean onTrack(List<String> keys) {
        List<String> track = keys.size() >= 2 && keys.get(1).equals("ENGINE") ? List.of("default", "ENGINE")
                : List.of("default", "OPTIONS", "options");
        return keys.size() <= track.size() && track.subList(0, keys.size()).equals(keys);
    }

    private void set(Path path, Value value) {
        List<String> keys = path.keys();
        if (!onTrack(keys)) {
            return; // another database, or a key such as NAME that decides no timeout
        }
        if (path.unknownKey()) {
            forget(keys.size());
            return;
        }
        switch (keys.size()) {
            case 0 -> setDatabases(value);
            case 1 -> setDefault(value);
            case 2 -> {
                if (keys.get(1).equals("ENGINE")) {
                    engine = text(value);
                } else {
                    setOptions(value);
                }
            }
            default -> options = text(value);
        }
    }

    /**
     * A key only running the module would tell, after {@code depth} known keys below DATABASES:
     * whatever it may name is unknown (after none or "default", the ENGINE too).
     */
    private void forget(int depth) {
        if (depth <= 1) {
            engine = Setting.UNKNOWN;
        }
        options = Setting.UNKNOWN;
    }

    private void setDatabases(Value v) {
        if (v instanceof Value.DictV d) {
            Value def = lookup(d, "default");
            if (def == MISSING) {
                engine = Setting.ABSENT;
                options = Setting.ABSENT;
            } else {
                setDefault(def);
            }
        } else {
            forget(0);
        }
    }

    private void setDefault(Value v) {
        if (v instanceof Value.DictV d) {
            Value e = lookup(d, "ENGINE");
            engine = e == MISSING ? Setting.ABSENT : text(e);
            Value o = lookup(d, "OPTIONS");
            if (o == MISSING) {
                options = Setting.ABSENT;
            } else {
                setOptions(o);
            }
        } else {
            forget(1);
        }
    }

    private void setOptions(Value v) {
        if (v instanceof Value.DictV d) {
            Value o = lookup(d, "options");
            options = o == MISSING ? Setting.ABSENT : text(o);
        } else {
            options = Setting.UNKNOWN;
        }
    }

    /** No such key in a dict. */
    private static final Value MISSING = new Value.None(0, 0);

    /** An opaque value: a key that may be there, or a value only running the module would tell. */
    private static final Value OPAQUE = new Value.Opaque("", "unknown", 0, 0);

    /**
     * A key's value in a dict display as Python builds it (the last entry wins; `**mapping`
     * entries splice a known dict and hide the key when they are unknown), or {@link #MISSING}.
     */
    private static Value lookup(Value.DictV d, String key) {
        Value found = MISSING;
        for (int i = 0; i < d.keys().size(); i++) {
            Value k = d.keys().get(i);
            Value v = d.values().get(i);
            if (k instanceof Value.Str s && !s.bytes()) {
                if (s.value().equals(key)) {
                    found = v;
                }
            } else if (k instanceof Value.Opaque && v instanceof Value.DictV spliced) {
                Value inner = lookup(spliced, key);
                found = inner == MISSING ? found : inner;
            } else {
                found = OPAQUE; // a key of unknown name, or a splice of an unknown mapping, may be it
            }
        }
        return found;
    }

    private static Setting text(Value v) {
        return v instanceof Value.Str s && !s.bytes() ? new Setting(Kind.KNOWN, s.value(), s.line(), false)
                : Setting.UNKNOWN;
    }

    /** ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT: a string, a whole number (milliseconds), or None. */
    private static Setting durationSetting(Value v) {
        if (v instanceof Value.None) {
            return Setting.ABSENT;
        }
        if (v instanceof Value.Num n && n.value() instanceof BigInteger i) {
            return new Setting(Kind.KNOWN, i.toString(), n.line(), false);
        }
        return text(v);
    }

    /** `DATABASES["default"]["OPTIONS"]["options"] += " -c lock_timeout=5s"`. */
    private void augment(Stmt.AugAssign a) {
        Path path = path(a.target());
        if (path == null || !onTrack(path.keys())) {
            return;
        }
        if (path.unknownKey() || path.keys().size() != 3 || !a.op().equals("+")) {
            forget(path.keys().size());
            return;
        }
        Setting added = text(evaluator.eval(a.value()));
        if (!added.known()) {
            options = Setting.UNKNOWN;
        } else if (options.known()) {
            options = new Setting(Kind.KNOWN, options.text() + added.text(), added.line(), options.unknownPrefix());
        } else {
            options = new Setting(Kind.KNOWN, added.text(), added.line(), true);
        }
    }

    /** `DATABASES["default"].update({...})` and `.update(KEY=...)`: each entry as an assignment. */
    private void update(Expr.Call c) {
        if (!(c.func() instanceof Expr.Attribute attr) || !attr.attr().equals("update")) {
            return;
        }
        Path path = path(attr.value());
        if (path == null || !onTrack(path.keys()) || path.keys().size() >= 3) {
            return;
        }
        if (path.unknownKey()) {
            forget(path.keys().size());
            return;
        }
        for (Expr arg : c.args()) {
            if (evaluator.eval(arg) instanceof Value.DictV d) {
                for (int i = 0; i < d.keys().size(); i++) {
                    entry(path.keys(), d.keys().get(i), d.values().get(i));
                }
            } else {
                forget(path.keys().size());
            }
        }
        for (Expr.Keyword k : c.keywords()) {
            if (k.name() == null) {
                forget(path.keys().size()); // **mapping
            } else {
                entry(path.keys(), new Value.Str(k.name(), false, 0, 0), evaluator.eval(k.value()));
            }
        }
    }

    private void entry(List<String> keys, Value key, Value value) {
        List<String> longer = new ArrayList<>(keys);
        if (key instanceof Value.Str s && !s.bytes()) {
            longer.add(s.value());
            set(new Path(longer, false), value);
        } else {
            set(new Path(longer, true), value);
        }
    }
}
