package dev.migsafe.migration;

import dev.migsafe.python.CompactIO;
import dev.migsafe.python.ast.Module;
import dev.migsafe.python.eval.Value;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The migration model of a file in the parse cache's binary form (the "summary" stored with its
 * syntax tree): status, diagnostics and the {@link Migration} with every value. A decoded model
 * equals the one the reader builds, so a warm run replays exactly what a cold one does without
 * evaluating, or even decoding, the trees of the files it only replays.
 *
 * The model also depends on the file's package (relative imports): it is stored with it and
 * used only for a file in the same package.
 */
final class ModelCodec {

    private ModelCodec() {}

    /** Null for a file without a parsed tree (nothing to summarise: a problem is cheap to rebuild). */
    static byte[] encode(MigrationFile f, String packageName) {
        if (f.status() == MigrationFile.Status.ERROR) {
            return null;
        }
        W w = new W();
        w.string(packageName);
        w.varint(f.status().ordinal());
        w.bool(f.usedLlFallback());
        w.varint(f.diagnostics().size());
        for (Diagnostic d : f.diagnostics()) {
            w.diagnostic(d);
        }
        w.bool(f.migration() != null);
        if (f.migration() != null) {
            w.migration(f.migration());
        }
        return w.toBytes();
    }

    /**
     * The file read from a summary, its tree made by {@code module} when first asked for; null
     * when the summary is of another package.
     *
     * @throws CompactIO.Malformed for bytes that are not a summary
     */
    static MigrationFile decode(byte[] bytes, String path, String packageName, Supplier<Module> module) {
        R r = new R(bytes);
        try {
            if (!packageName.equals(r.string())) {
                return null;
            }
            MigrationFile.Status status = r.enumValue(MigrationFile.Status.values());
            if (status == MigrationFile.Status.ERROR) {
                throw new CompactIO.Malformed("a summary of a file that did not parse");
            }
            boolean usedLl = r.bool();
            int n = r.count();
            Diagnostic[] diagnostics = new Diagnostic[n];
            for (int i = 0; i < n; i++) {
                diagnostics[i] = r.diagnostic();
            }
            Migration migration = r.bool() ? r.migration() : null;
            if (!r.atEnd()) {
                throw new CompactIO.Malformed("trailing bytes");
            }
            return MigrationFile.lazy(path, status, List.of(diagnostics), migration, usedLl, packageName, module);
        } catch (NullPointerException | IllegalArgumentException | ClassCastException e) {
            throw new CompactIO.Malformed("corrupt summary: " + e);
        }
    }

    // Value tags: append new kinds at the end (a change alters the code fingerprint anyway).
    private static final int NULL = 0, STR = 1, INT = 2, FLOAT = 3, BOOL = 4, NONE = 5, LIST = 6, TUPLE = 7,
            SET = 8, DICT = 9, CALL = 10, REF = 11, OPAQUE = 12;

    private static final class W extends CompactIO.Writer {

        void position(int line, int column) {
            varint(line);
            varint(column);
        }

        void diagnostic(Diagnostic d) {
            string(d.rule());
            position(d.line(), d.column());
            string(d.message());
        }

        void strings(List<String> list) {
            varint(list.size());
            list.forEach(this::string);
        }

        void keys(List<MigrationKey> keys) {
            varint(keys.size());
            for (MigrationKey k : keys) {
                string(k.app());
                string(k.name());
            }
        }

        void optionalBool(Boolean b) {
            varint(b == null ? 0 : b ? 2 : 1);
        }

        void migration(Migration m) {
            position(m.line(), m.column());
            strings(m.bases());
            varint(m.dependencies().size());
            for (Dependency d : m.dependencies()) {
                string(d.app());
                string(d.name());
                varint(d.kind().ordinal());
                string(d.setting());
                string(d.source());
                position(d.line(), d.column());
            }
            bool(m.dependenciesResolved());
            keys(m.replaces());
            keys(m.runBefore());
            optionalBool(m.initial());
            optionalBool(m.atomic());
            operations(m.operations());
            bool(m.operationsResolved());
            map(m.attributes());
        }

        void operations(List<Operation> ops) {
            varint(ops.size());
            for (Operation op : ops) {
                string(op.type());
                string(op.qualified());
                position(op.line(), op.column());
                values(op.args());
                map(op.kwargs());
                bool(op.field() != null);
                if (op.field() != null) {
                    field(op.field());
                }
                varint(op.fields().size());
                op.fields().forEach(this::field);
                operations(op.databaseOperations());
                operations(op.stateOperations());
            }
        }

        void field(FieldSpec f) {
            string(f.name());
            string(f.fieldClass());
            values(f.args());
            map(f.kwargs());
            position(f.line(), f.column());
        }

        void values(List<Value> values) {
            varint(values.size());
            values.forEach(this::value);
        }

        /** Keys in their order: rules and reports walk keyword arguments as written. */
        void map(Map<String, Value> map) {
            varint(map.size());
            for (Map.Entry<String, Value> e : map.entrySet()) {
                string(e.getKey());
                value(e.getValue());
            }
        }

        void value(Value v) {
            if (v == null) {
                varint(NULL);
                return;
            }
            if (v instanceof Value.Str s) {
                varint(STR);
                string(s.value());
                bool(s.bytes());
            } else if (v instanceof Value.Num n && n.value() instanceof BigInteger i) {
                varint(INT);
                string(i.toString(16));
            } else if (v instanceof Value.Num n && n.value() instanceof Double d) {
                varint(FLOAT);
                long bits = Double.doubleToRawLongBits(d);
                varint((int) (bits >>> 32));
                varint((int) bits);
            } else if (v instanceof Value.Bool b) {
                varint(BOOL);
                bool(b.value());
            } else if (v instanceof Value.None) {
                varint(NONE);
            } else if (v instanceof Value.ListV l) {
                varint(LIST);
                values(l.items());
            } else if (v instanceof Value.TupleV t) {
                varint(TUPLE);
                values(t.items());
            } else if (v instanceof Value.SetV s) {
                varint(SET);
                values(s.items());
            } else if (v instanceof Value.DictV d) {
                varint(DICT);
                values(d.keys());
                values(d.values());
            } else if (v instanceof Value.Call c) {
                varint(CALL);
                string(c.callee());
                string(c.calleeSource());
                values(c.args());
                map(c.kwargs());
            } else if (v instanceof Value.Ref r) {
                varint(REF);
                string(r.source());
                string(r.qualified());
                varint(r.kind().ordinal());
            } else if (v instanceof Value.Opaque o) {
                varint(OPAQUE);
                string(o.source());
                string(o.reason());
            } else {
                // A value kind this codec does not know: the file is not cached (see MigrationReader).
                throw new IllegalStateException("ModelCodec does not know " + v);
            }
            position(v.line(), v.column());
        }
    }

    private static final class R extends CompactIO.Reader {

        R(byte[] bytes) {
            super(bytes, 0, bytes.length);
        }

        Diagnostic diagnostic() {
            return new Diagnostic(requiredString(), varint(), varint(), requiredString());
        }

        List<String> strings() {
            int n = count();
            String[] out = new String[n];
            for (int i = 0; i < n; i++) {
                out[i] = requiredString();
            }
            return List.of(out);
        }

        List<MigrationKey> keys() {
            int n = count();
            MigrationKey[] out = new MigrationKey[n];
            for (int i = 0; i < n; i++) {
                out[i] = new MigrationKey(string(), string());
            }
            return List.of(out);
        }

        Boolean optionalBool() {
            int v = varint();
            return switch (v) {
                case 0 -> null;
                case 1 -> Boolean.FALSE;
                case 2 -> Boolean.TRUE;
                default -> throw new CompactIO.Malformed("bad optional boolean " + v);
            };
        }

        Migration migration() {
            int line = varint();
            int column = varint();
            List<String> bases = strings();
            int n = count();
            Dependency[] deps = new Dependency[n];
            for (int i = 0; i < n; i++) {
                deps[i] = new Dependency(string(), string(), enumValue(Dependency.Kind.values()), string(), string(),
                        varint(), varint());
            }
            boolean depsResolved = bool();
            List<MigrationKey> replaces = keys();
            List<MigrationKey> runBefore = keys();
            Boolean initial = optionalBool();
            Boolean atomic = optionalBool();
            List<Operation> operations = operations();
            boolean opsResolved = bool();
            Map<String, Value> attributes = map();
            return new Migration(line, column, bases, List.of(deps), depsResolved, replaces, runBefore, initial, atomic,
                    operations, opsResolved, attributes);
        }

        List<Operation> operations() {
            int n = count();
            if (n == 0) {
                return List.of();
            }
            Operation[] out = new Operation[n];
            for (int i = 0; i < n; i++) {
                String type = string();
                String qualified = string();
                int line = varint();
                int column = varint();
                List<Value> args = values();
                Map<String, Value> kwargs = map();
                FieldSpec field = bool() ? field() : null;
                int fieldCount = count();
                FieldSpec[] fields = new FieldSpec[fieldCount];
                for (int j = 0; j < fieldCount; j++) {
                    fields[j] = field();
                }
                out[i] = new Operation(type, qualified, line, column, args, kwargs, field, List.of(fields),
                        operations(), operations());
            }
            return List.of(out);
        }

        FieldSpec field() {
            return new FieldSpec(string(), requiredString(), values(), map(), varint(), varint());
        }

        /** Unmodifiable like the evaluator's lists; elements are never null there, but may be here. */
        List<Value> values() {
            int n = count();
            if (n == 0) {
                return List.of();
            }
            Value[] out = new Value[n];
            for (int i = 0; i < n; i++) {
                out[i] = value();
            }
            return Collections.unmodifiableList(java.util.Arrays.asList(out));
        }

        Map<String, Value> map() {
            int n = count();
            if (n == 0) {
                return Collections.emptyMap();
            }
            Map<String, Value> out = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                out.put(requiredString(), value());
            }
            return Collections.unmodifiableMap(out);
        }

        Value value() {
            int tag = varint();
            if (tag == NULL) {
                return null;
            }
            switch (tag) {
                case STR -> {
                    String s = requiredString();
                    boolean bytes = bool();
                    return new Value.Str(s, bytes, varint(), varint());
                }
                case INT -> {
                    BigInteger i = new BigInteger(requiredString(), 16);
                    return new Value.Num(i, varint(), varint());
                }
                case FLOAT -> {
                    double d = Double.longBitsToDouble(((long) varint() << 32) | (varint() & 0xFFFFFFFFL));
                    return new Value.Num(d, varint(), varint());
                }
                case BOOL -> {
                    boolean b = bool();
                    return new Value.Bool(b, varint(), varint());
                }
                case NONE -> {
                    return new Value.None(varint(), varint());
                }
                case LIST -> {
                    List<Value> items = values();
                    return new Value.ListV(items, varint(), varint());
                }
                case TUPLE -> {
                    List<Value> items = values();
                    return new Value.TupleV(items, varint(), varint());
                }
                case SET -> {
                    List<Value> items = values();
                    return new Value.SetV(items, varint(), varint());
                }
                case DICT -> {
                    List<Value> keys = values();
                    List<Value> vals = values();
                    return new Value.DictV(keys, vals, varint(), varint());
                }
                case CALL -> {
                    String callee = requiredString();
                    String calleeSource = string();
                    List<Value> args = values();
                    Map<String, Value> kwargs = map();
                    return new Value.Call(callee, calleeSource, args, kwargs, varint(), varint());
                }
                case REF -> {
                    String source = string();
                    String qualified = string();
                    Value.RefKind kind = enumValue(Value.RefKind.values());
                    return new Value.Ref(source, qualified, kind, varint(), varint());
                }
                case OPAQUE -> {
                    String source = string();
                    String reason = string();
                    return new Value.Opaque(source, reason, varint(), varint());
                }
                default -> throw new CompactIO.Malformed("unknown value tag " + tag);
            }
        }
    }
}
