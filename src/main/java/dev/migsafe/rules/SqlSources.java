package dev.migsafe.rules;

import dev.migsafe.python.eval.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL an operation runs, as texts migsafe can read: RunSQL's {@code sql} (or
 * {@code reverse_sql}) when literal — a str, RunSQL.noop, a list or tuple of str or (sql, params)
 * pairs — and the SQL a RunPython function sends itself (RunPythonSql). A part that is not
 * literal is named where it is built, for the review that says it could not be read.
 */
public final class SqlSources {

    /** One text; {@code template} when placeholders of a "...".format / % template stand in it. */
    public record Text(String sql, String where, boolean template) {}

    public record Opaque(String where, String source) {}

    public record Sources(List<Text> texts, List<Opaque> opaque) {
        public boolean isEmpty() {
            return texts.isEmpty() && opaque.isEmpty();
        }
    }

    private SqlSources() {}

    /**
     * What the operation runs when the migration is applied; read once per operation (C199 and the
     * SQL analysis both ask, and reading RunPython's functions walks their code).
     */
    public static Sources forward(OperationContext ctx) {
        return ctx.migration().memo(List.of("SqlSources.forward", ctx.index(), ctx.op()), () -> readForward(ctx));
    }

    private static Sources readForward(OperationContext ctx) {
        List<Text> texts = new ArrayList<>();
        List<Opaque> opaque = new ArrayList<>();
        if ("RunSQL".equals(ctx.type())) {
            literal(ctx.op().arg(0, "sql"), "RunSQL", texts, opaque, ctx);
        } else if ("RunPython".equals(ctx.type())) {
            for (RunPythonSql.Executed x : RunPythonSql.forward(ctx.op(), ctx.migration().file())) {
                String where = "RunPython (" + x.how() + " in " + x.function() + ", line " + x.pos().line() + ")";
                if (x.sql() != null) {
                    texts.add(new Text(x.sql(), where, false));
                } else if (x.template() != null) {
                    texts.add(new Text(x.template(), where, true));
                } else {
                    opaque.add(new Opaque(where, x.source()));
                }
            }
        }
        return new Sources(texts, opaque);
    }

    /** What RunSQL runs when the migration is unapplied (reverse_sql); empty for other operations and when absent. */
    public static Sources reverse(OperationContext ctx) {
        List<Text> texts = new ArrayList<>();
        List<Opaque> opaque = new ArrayList<>();
        if ("RunSQL".equals(ctx.type())) {
            Value r = ctx.op().arg(1, "reverse_sql");
            if (r != null && !(r instanceof Value.None)) {
                literal(r, "reverse_sql", texts, opaque, ctx);
            }
        }
        return new Sources(texts, opaque);
    }

    private static void literal(Value sql, String where, List<Text> texts, List<Opaque> opaque, OperationContext ctx) {
        String template = SqlTemplates.of(sql, ctx.migration().file());
        if (template != null) {
            texts.add(new Text(template, where + " (a template)", true));
            return;
        }
        if (sql == null) {
            opaque.add(new Opaque(where, "no sql argument"));
            return;
        }
        if (sql instanceof Value.Str s) {
            if (!s.value().isBlank()) {
                texts.add(new Text(s.value(), where, false));
            }
            return;
        }
        if (isNoop(sql)) {
            return;
        }
        List<Value> items = sql instanceof Value.ListV l ? l.items() : sql instanceof Value.TupleV t ? t.items() : null;
        if (items == null) {
            opaque.add(new Opaque(where, Py.source(sql)));
            return;
        }
        for (Value item : items) {
            Value statement = item;
            if (item instanceof Value.TupleV t && !t.items().isEmpty()) {
                statement = t.items().get(0); // (sql, params)
            } else if (item instanceof Value.ListV l && !l.items().isEmpty()) {
                statement = l.items().get(0);
            }
            if (statement instanceof Value.ListV || statement instanceof Value.TupleV) {
                opaque.add(new Opaque(where, Py.source(statement)));
            } else {
                literal(statement, where, texts, opaque, ctx);
            }
        }
    }

    static boolean isNoop(Value v) {
        if (!(v instanceof Value.Ref r)) {
            return false;
        }
        String name = r.qualified() != null ? r.qualified() : r.source();
        return name.equals("django.db.migrations.RunSQL.noop") || name.endsWith("RunSQL.noop")
                && (r.qualified() == null || r.qualified().startsWith("django."));
    }
}
