package dev.migsafe.sql;

import dev.migsafe.sql.DbChange.Constraint;
import dev.migsafe.sql.DbChange.Flag;
import dev.migsafe.sql.DbChange.Kind;
import dev.migsafe.sql.antlr.PostgreSqlLexer;
import dev.migsafe.sql.antlr.PostgreSqlParser;
import dev.migsafe.sql.antlr.PostgreSqlParser.*;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/** Turns one parsed statement into its {@link DbChange changes}. */
final class Changes {

    private final String sql;

    Changes(String sql) {
        this.sql = sql;
    }

    static DbChange unknown(Name table, String why) {
        return new DbChange(Kind.UNKNOWN, table, null, null, null, null, null, null, List.of(), Set.of(), why, null);
    }

    private static DbChange simple(Kind kind, Name table, String name, Set<Flag> flags, String detail, String value) {
        return new DbChange(kind, table, null, name, null, null, null, null, List.of(), flags, detail, value);
    }

    List<DbChange> of(StatementContext st) {
        ParseTree c = st.getChild(0);
        if (c instanceof AlterTableContext a) {
            List<DbChange> out = new ArrayList<>();
            Name table = name(a.qname());
            for (AlterActionContext action : a.alterAction()) {
                out.add(action(table, action));
            }
            return out;
        }
        if (c instanceof AlterTableRenameContext r) {
            return List.of(rename(r));
        }
        if (c instanceof CreateIndexContext ci) {
            Set<Flag> flags = flags(ci.UNIQUE() != null, Flag.UNIQUE, ci.CONCURRENTLY() != null, Flag.CONCURRENTLY,
                    ci.ifNotExists() != null, Flag.IF_NOT_EXISTS, hasToken(ci.soup(), PostgreSqlLexer.WHERE), Flag.WHERE);
            Name index = ci.qname().size() > 1 ? name(ci.qname(0)) : null;
            Name table = name(ci.qname(ci.qname().size() - 1));
            return List.of(new DbChange(Kind.CREATE_INDEX, table, null, index == null ? null : index.name(), null,
                    text(ci.soup()), null, null, List.of(), flags, null, null));
        }
        if (c instanceof DropIndexContext di) {
            List<DbChange> out = new ArrayList<>();
            Set<Flag> flags = flags(di.CONCURRENTLY() != null, Flag.CONCURRENTLY, di.ifExists() != null, Flag.IF_EXISTS,
                    cascade(di.dropBehaviour()), Flag.CASCADE);
            for (QnameContext q : di.qname()) {
                Name n = name(q);
                out.add(simple(Kind.DROP_INDEX, null, n.name(), flags, n.schema(), null));
            }
            return out;
        }
        if (c instanceof AlterIndexContext ai) {
            return List.of(simple(Kind.ALTER_INDEX, null, name(ai.qname()).name(), Set.of(), text(ai.anything()), null));
        }
        if (c instanceof ReindexContext ri) {
            String what = ri.INDEX() != null ? "index" : ri.TABLE() != null ? "table" : lower(ri.IDENT().getText());
            Name target = ri.qname() == null ? null : name(ri.qname());
            return List.of(new DbChange(Kind.REINDEX, what.equals("table") ? target : null, null,
                    target == null ? null : target.name(), null, null, null, null, List.of(),
                    flags(ri.CONCURRENTLY() != null, Flag.CONCURRENTLY), what, null));
        }
        if (c instanceof CreateTableContext ct) {
            return List.of(createTable(ct));
        }
        if (c instanceof DropTableContext dt) {
            List<DbChange> out = new ArrayList<>();
            Set<Flag> flags = flags(dt.ifExists() != null, Flag.IF_EXISTS, cascade(dt.dropBehaviour()), Flag.CASCADE);
            for (QnameContext q : dt.qname()) {
                out.add(simple(Kind.DROP_TABLE, name(q), null, flags, null, null));
            }
            return out;
        }
        if (c instanceof TruncateContext tc) {
            List<DbChange> out = new ArrayList<>();
            Set<Flag> flags = flags(hasToken(tc.anything(), PostgreSqlLexer.CASCADE), Flag.CASCADE);
            for (QnameContext q : tc.qname()) {
                out.add(simple(Kind.TRUNCATE, name(q), null, flags, null, null));
            }
            return out;
        }
        if (c instanceof LockTableContext lt) {
            List<DbChange> out = new ArrayList<>();
            String mode = lt.lockMode() == null ? "ACCESS EXCLUSIVE" : words(lt.lockMode()).toUpperCase(Locale.ROOT);
            for (QnameContext q : lt.qname()) {
                out.add(simple(Kind.LOCK_TABLE, name(q), null, Set.of(), mode, null));
            }
            return out;
        }
        if (c instanceof VacuumContext v) {
            boolean full = hasToken(v.anything(), PostgreSqlLexer.FULL);
            return List.of(simple(Kind.VACUUM, lastName(v.anything()), null, flags(full, Flag.FULL), null, null));
        }
        if (c instanceof ClusterContext cl) {
            return List.of(simple(Kind.CLUSTER, firstName(cl.anything()), null, Set.of(), null, null));
        }
        if (c instanceof CreateTriggerContext tr) {
            return List.of(trigger(tr));
        }
        if (c instanceof DropTriggerContext dt) {
            return List.of(simple(Kind.DROP_TRIGGER, name(dt.qname()), part(dt.name()),
                    flags(dt.ifExists() != null, Flag.IF_EXISTS), null, null));
        }
        if (c instanceof CreateFunctionContext f) {
            return List.of(simple(Kind.CREATE_FUNCTION, null, name(f.qname()).toString(),
                    flags(f.OR() != null, Flag.OR_REPLACE), f.PROCEDURE() != null ? "procedure" : "function",
                    body(f.anything())));
        }
        if (c instanceof CreateExtensionContext e) {
            return List.of(simple(Kind.CREATE_EXTENSION, null, part(e.name()),
                    flags(e.ifNotExists() != null, Flag.IF_NOT_EXISTS), null, null));
        }
        if (c instanceof AlterTypeAddValueContext at) {
            return List.of(simple(Kind.ALTER_TYPE_ADD_VALUE, null, name(at.qname()).toString(),
                    flags(at.ifNotExists() != null, Flag.IF_NOT_EXISTS), null, stringValue(at.STRING().getText())));
        }
        if (c instanceof UpdateContext u) {
            return List.of(simple(Kind.UPDATE, name(u.qname()), null, flags(u.WHERE() != null, Flag.WHERE), null, null));
        }
        if (c instanceof DeleteContext d) {
            return List.of(simple(Kind.DELETE, name(d.qname()), null, flags(d.WHERE() != null, Flag.WHERE), null, null));
        }
        if (c instanceof InsertContext i) {
            return List.of(simple(Kind.INSERT, name(i.qname()), null, Set.of(), null, null));
        }
        if (c instanceof SettingContext s) {
            return List.of(setting(s));
        }
        if (c instanceof TransactionContext t) {
            Kind k = t instanceof BeginContext ? Kind.BEGIN : t instanceof CommitContext ? Kind.COMMIT
                    : t instanceof RollbackContext r ? (hasToken(r.anything(), PostgreSqlLexer.TO) ? Kind.SAVEPOINT : Kind.ROLLBACK)
                    : Kind.SAVEPOINT; // ROLLBACK TO SAVEPOINT stays inside the transaction
            return List.of(simple(k, null, null, Set.of(), null, null));
        }
        if (c instanceof SelectContext s) {
            return List.of(simple(Kind.SELECT, null, null, Set.of(), null, text(s)));
        }
        if (c instanceof ReadOnlyContext r) {
            // EXPLAIN ANALYZE runs its statement: read what it runs.
            if (r.EXPLAIN() != null && hasToken(r.anything(), PostgreSqlLexer.ANALYZE)) {
                return List.of(unknown(null, "EXPLAIN ANALYZE runs the statement it explains"));
            }
            return List.of(simple(Kind.READ_ONLY, null, null, Set.of(), lower(r.getStart().getText()), null));
        }
        if (c instanceof DoBlockContext d) {
            return List.of(simple(Kind.DO, null, null, Set.of(), null, body(d.anything())));
        }
        if (c instanceof CreateObjectContext o) {
            return List.of(object(o));
        }
        if (c instanceof DropObjectContext d) {
            List<Token> words = tokens(d);
            String kind = objectKind(words, 1);
            Name n = nameAfterKind(words, 1);
            return List.of(simple(Kind.DROP_OBJECT, null, n == null ? null : n.toString(),
                    flags(hasToken(d.anything(), PostgreSqlLexer.CASCADE), Flag.CASCADE), kind, null));
        }
        if (c instanceof RefreshContext r) {
            return List.of(simple(Kind.REFRESH_VIEW, name(r.qname()), null,
                    flags(r.CONCURRENTLY() != null, Flag.CONCURRENTLY), null, null));
        }
        return List.of(unknown(null, "a statement migsafe's SQL grammar does not read"));
    }

    List<DbChange> ofLoose(LooseStatementContext st) {
        if (st instanceof LooseAlterTableContext a) {
            return List.of(unknown(name(a.qname()), "ALTER TABLE " + name(a.qname()) + " with an action migsafe does not read"));
        }
        if (st instanceof LooseCreateTableContext t) {
            // The columns were not read, but the table is new: nothing old code uses.
            return List.of(new DbChange(Kind.CREATE_TABLE, name(t.qname()), null, null, null, null, null, null,
                    List.of(), Set.of(), "columns not read", null));
        }
        if (st instanceof LooseUpdateContext u) {
            return List.of(simple(Kind.UPDATE, name(u.qname()), null, flags(hasToken(u.rest(), PostgreSqlLexer.WHERE),
                    Flag.WHERE), null, null));
        }
        if (st instanceof LooseDeleteContext d) {
            return List.of(simple(Kind.DELETE, name(d.qname()), null, flags(hasToken(d.rest(), PostgreSqlLexer.WHERE),
                    Flag.WHERE), null, null));
        }
        if (st instanceof LooseInsertContext i) {
            return List.of(simple(Kind.INSERT, name(i.qname()), null, Set.of(), null, null));
        }
        if (st instanceof LooseCreateIndexContext) {
            return List.of(unknown(null, "a CREATE INDEX migsafe does not read"));
        }
        return List.of(unknown(null, "a statement migsafe's SQL grammar does not read"));
    }

    // ---- ALTER TABLE ----------------------------------------------------------------------------

    private DbChange action(Name table, AlterActionContext a) {
        if (a instanceof AddColumnContext ac) {
            return column(Kind.ADD_COLUMN, table, part(ac.name()), type(ac.dataType()), ac.columnOption(),
                    ac.ifNotExists() != null);
        }
        if (a instanceof AddConstraintContext ac) {
            return constraint(table, ac.tableConstraint());
        }
        if (a instanceof DropColumnContext dc) {
            return new DbChange(Kind.DROP_COLUMN, table, part(dc.name()), null, null, null, null, null, List.of(),
                    flags(dc.ifExists() != null, Flag.IF_EXISTS, cascade(dc.dropBehaviour()), Flag.CASCADE), null, null);
        }
        if (a instanceof AlterColumnTypeContext t) {
            return new DbChange(Kind.ALTER_COLUMN_TYPE, table, part(t.name()), null, type(t.dataType()),
                    t.expr() == null ? null : text(t.expr()), null, null, List.of(), Set.of(), null, null);
        }
        if (a instanceof SetNotNullContext s) {
            return columnOnly(Kind.SET_NOT_NULL, table, part(s.name()), null);
        }
        if (a instanceof DropNotNullContext s) {
            return columnOnly(Kind.DROP_NOT_NULL, table, part(s.name()), null);
        }
        if (a instanceof SetDefaultContext s) {
            return columnOnly(Kind.SET_DEFAULT, table, part(s.name()), text(s.expr()));
        }
        if (a instanceof DropDefaultContext s) {
            return columnOnly(Kind.DROP_DEFAULT, table, part(s.name()), null);
        }
        if (a instanceof AlterColumnOtherContext s) {
            return new DbChange(Kind.ALTER_COLUMN_OTHER, table, part(s.name()), null, null, null, null, null, List.of(),
                    Set.of(), words(s.otherWords()), null);
        }
        if (a instanceof ValidateConstraintContext v) {
            return simple(Kind.VALIDATE_CONSTRAINT, table, part(v.name()), Set.of(), null, null);
        }
        if (a instanceof DropConstraintContext d) {
            return simple(Kind.DROP_CONSTRAINT, table, part(d.name()),
                    flags(d.ifExists() != null, Flag.IF_EXISTS, cascade(d.dropBehaviour()), Flag.CASCADE), null, null);
        }
        OtherActionContext o = (OtherActionContext) a;
        int verb = o.getStart().getType();
        if (verb == PostgreSqlLexer.ADD || verb == PostgreSqlLexer.DROP || verb == PostgreSqlLexer.ALTER
                || verb == PostgreSqlLexer.VALIDATE || verb == PostgreSqlLexer.RENAME) {
            // A form of a change the grammar reads, written in a way it does not: not "something else".
            return unknown(table, "ALTER TABLE " + table + " " + text(o) + ": an action migsafe does not read");
        }
        return simple(Kind.ALTER_TABLE_OTHER, table, null, Set.of(), text(o.otherWords()), null);
    }

    private static DbChange columnOnly(Kind kind, Name table, String column, String expression) {
        return new DbChange(kind, table, column, null, null, expression, null, null, List.of(), Set.of(), null, null);
    }

    private DbChange rename(AlterTableRenameContext r) {
        if (r instanceof RenameColumnContext rc) {
            return new DbChange(Kind.RENAME_COLUMN, name(rc.qname()), part(rc.name(0)), part(rc.name(1)), null, null,
                    null, null, List.of(), Set.of(), null, null);
        }
        if (r instanceof RenameConstraintContext rc) {
            return new DbChange(Kind.RENAME_CONSTRAINT, name(rc.qname()), null, part(rc.name(1)), null, null, null,
                    null, List.of(), Set.of(), part(rc.name(0)), null);
        }
        if (r instanceof RenameTableContext rt) {
            return simple(Kind.RENAME_TABLE, name(rt.qname()), part(rt.name()), Set.of(), null, null);
        }
        SetSchemaContext s = (SetSchemaContext) r;
        if (!s.IDENT().getText().equalsIgnoreCase("schema")) {
            return simple(Kind.ALTER_TABLE_OTHER, name(s.qname()), null, Set.of(), words(s), null);
        }
        return simple(Kind.SET_SCHEMA, name(s.qname()), part(s.name()), Set.of(), null, null);
    }

    /** A column of ADD COLUMN or CREATE TABLE with its options folded into flags. */
    private DbChange column(Kind kind, Name table, String column, String type, List<ColumnOptionContext> options,
                            boolean ifNotExists) {
        Set<Flag> flags = EnumSet.noneOf(Flag.class);
        if (ifNotExists) {
            flags.add(Flag.IF_NOT_EXISTS);
        }
        String expression = null;
        Constraint constraint = null;
        Name references = null;
        for (ColumnOptionContext o : options) {
            if (o.NOT() != null && o.NULL() != null) {
                flags.add(Flag.NOT_NULL);
            } else if (o.DEFAULT() != null && o.GENERATED() == null) {
                flags.add(Flag.DEFAULT);
                expression = text(o.expr());
            } else if (o.PRIMARY() != null) {
                constraint = Constraint.PRIMARY_KEY;
                flags.add(Flag.NOT_NULL);
            } else if (o.UNIQUE() != null) {
                constraint = constraint == null ? Constraint.UNIQUE : constraint;
            } else if (o.CHECK() != null) {
                constraint = constraint == null ? Constraint.CHECK : constraint;
            } else if (o.REFERENCES() != null) {
                references = name(o.qname());
                constraint = constraint == null ? Constraint.FOREIGN_KEY : constraint;
            } else if (o.GENERATED() != null && o.IDENTITY() != null) {
                flags.add(Flag.IDENTITY);
                flags.add(Flag.NOT_NULL);
            } else if (o.GENERATED() != null) {
                flags.add(o.VIRTUAL() != null ? Flag.GENERATED_VIRTUAL : Flag.GENERATED_STORED);
                expression = text(o.parens());
            }
        }
        return new DbChange(kind, table, column, null, type, expression, constraint, references, List.of(), flags, null, null);
    }

    private DbChange constraint(Name table, TableConstraintContext tc) {
        String name = tc.name() == null ? null : part(tc.name());
        Set<Flag> flags = EnumSet.noneOf(Flag.class);
        for (ConstraintTailContext tail : tc.constraintTail()) {
            if (tail.VALID() != null) {
                flags.add(Flag.NOT_VALID);
            }
        }
        ConstraintBodyContext b = tc.constraintBody();
        Constraint kind;
        List<String> columns = List.of();
        Name references = null;
        String expression = null;
        if (b instanceof CheckConstraintContext c) {
            kind = Constraint.CHECK;
            expression = text(c.parens());
        } else if (b instanceof UniqueConstraintContext u) {
            kind = Constraint.UNIQUE;
            columns = names(u.parens());
            if (u.INDEX() != null && u.name() != null) {
                flags.add(Flag.USING_INDEX);
                expression = part(u.name());
            }
        } else if (b instanceof PrimaryKeyConstraintContext p) {
            kind = Constraint.PRIMARY_KEY;
            columns = names(p.parens());
            if (p.INDEX() != null && p.name() != null) {
                flags.add(Flag.USING_INDEX);
                expression = part(p.name());
            }
        } else if (b instanceof ForeignKeyConstraintContext f) {
            kind = Constraint.FOREIGN_KEY;
            columns = names(f.parens(0));
            references = name(f.qname());
        } else {
            kind = Constraint.EXCLUDE;
            expression = text(((ExcludeConstraintContext) b).soup());
        }
        return new DbChange(Kind.ADD_CONSTRAINT, table, null, name, null, expression, kind, references, columns, flags,
                null, null);
    }

    private DbChange createTable(CreateTableContext ct) {
        Name table = name(ct.qname());
        Set<Flag> flags = flags(ct.ifNotExists() != null, Flag.IF_NOT_EXISTS, ct.TEMP() != null, Flag.TEMPORARY);
        List<String> columns = new ArrayList<>();
        List<String> references = new ArrayList<>();
        for (TableElementContext e : ct.tableElement()) {
            if (e.name() != null) {
                columns.add(part(e.name()));
                DbChange c = column(Kind.ADD_COLUMN, table, part(e.name()), type(e.dataType()), e.columnOption(), false);
                if (c.references() != null) {
                    references.add(c.references().toString());
                }
            } else if (e.tableConstraint() != null) {
                DbChange c = constraint(table, e.tableConstraint());
                if (c.references() != null) {
                    references.add(c.references().toString());
                }
            }
        }
        // detail: the tables the new table's foreign keys reference (their locks matter, the new table's do not)
        return new DbChange(Kind.CREATE_TABLE, table, null, null, null, null, null, null, columns, flags,
                references.isEmpty() ? null : String.join(",", references), null);
    }

    private DbChange trigger(CreateTriggerContext tr) {
        Set<Flag> flags = EnumSet.noneOf(Flag.class);
        TriggerTimingContext timing = tr.triggerTiming();
        flags.add(timing.BEFORE() != null ? Flag.BEFORE : timing.AFTER() != null ? Flag.AFTER : Flag.INSTEAD_OF);
        if (tr.OR(0) != null && tr.REPLACE() != null) {
            flags.add(Flag.OR_REPLACE);
        }
        List<Token> rest = tokens(tr.anything());
        for (int i = 0; i + 1 < rest.size(); i++) {
            if (rest.get(i).getType() == PostgreSqlLexer.EACH && rest.get(i + 1).getType() == PostgreSqlLexer.ROW) {
                flags.add(Flag.ROW_LEVEL);
            }
        }
        String function = null;
        for (int i = 0; i + 2 < rest.size(); i++) {
            if (rest.get(i).getType() == PostgreSqlLexer.EXECUTE) {
                StringBuilder f = new StringBuilder();
                for (int j = i + 2; j < rest.size() && rest.get(j).getType() != PostgreSqlLexer.LPAREN; j++) {
                    f.append(Name.part(rest.get(j).getText()));
                }
                function = f.toString();
            }
        }
        List<String> events = new ArrayList<>();
        for (TriggerEventContext e : tr.triggerEvent()) {
            events.add(e.getStart().getText().toUpperCase(Locale.ROOT));
        }
        return new DbChange(Kind.CREATE_TRIGGER, name(tr.qname()), null, part(tr.name()), null, null, null, null,
                events, flags, function, null);
    }

    private DbChange setting(SettingContext s) {
        if (s instanceof SetValueContext v) {
            String value = text(v.anything()).strip();
            if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                value = stringValue(value);
            }
            return simple(Kind.SET, null, null, flags(v.LOCAL() != null, Flag.LOCAL), lower(v.name().getText()), value);
        }
        if (s instanceof ResetValueContext) {
            return simple(Kind.RESET, null, null, Set.of(), words(s).toLowerCase(Locale.ROOT), null);
        }
        if (s instanceof ShowValueContext) {
            return simple(Kind.SHOW, null, null, Set.of(), null, null);
        }
        return simple(Kind.SET, null, null, Set.of(), words(s).toLowerCase(Locale.ROOT), null);
    }

    private DbChange object(CreateObjectContext o) {
        List<Token> words = tokens(o);
        if (o instanceof CommentOnContext) {
            return simple(Kind.COMMENT, null, null, Set.of(), null, null);
        }
        if (o instanceof GrantContext) {
            return simple(Kind.GRANT, null, null, Set.of(), null, null);
        }
        if (o instanceof RevokeContext) {
            return simple(Kind.REVOKE, null, null, Set.of(), null, null);
        }
        boolean alter = o instanceof AlterOtherContext;
        int from = 1;
        boolean orReplace = false;
        if (!alter && words.size() > 2 && words.get(1).getType() == PostgreSqlLexer.OR) {
            from = 3;
            orReplace = true;
        }
        String kind = objectKind(words, from);
        Name n = nameAfterKind(words, from);
        return simple(alter ? Kind.ALTER_OBJECT : Kind.CREATE_OBJECT, null, n == null ? null : n.toString(),
                flags(orReplace, Flag.OR_REPLACE), kind, alter ? words(o) : null);
    }

    // ---- object kinds (CREATE VIEW x, DROP TEXT SEARCH CONFIGURATION y) ---------------------------

    private static final List<String> KINDS = List.of("materialized view", "recursive view", "view", "sequence", "type",
            "domain", "schema", "collation", "text search configuration", "text search dictionary",
            "text search parser", "text search template", "aggregate", "operator class", "operator family",
            "operator", "cast", "rule", "policy", "publication", "subscription", "role", "user", "group", "server",
            "foreign data wrapper", "foreign table", "statistics", "language", "conversion", "event trigger",
            "function", "procedure", "extension", "trigger", "default privileges", "tablespace", "database");

    /** The object kind after position {@code from} (TEMP skipped), e.g. "view"; or the first word. */
    private static String objectKind(List<Token> words, int from) {
        int i = skipTemp(words, from);
        StringBuilder phrase = new StringBuilder();
        for (int j = i; j < Math.min(words.size(), i + 3); j++) {
            phrase.append(j > i ? " " : "").append(words.get(j).getText().toLowerCase(Locale.ROOT));
        }
        String p = phrase.toString();
        for (String k : KINDS) {
            if (p.equals(k) || p.startsWith(k + " ")) {
                return k;
            }
        }
        return i < words.size() ? words.get(i).getText().toLowerCase(Locale.ROOT) : null;
    }

    private static int skipTemp(List<Token> words, int i) {
        while (i < words.size() && (words.get(i).getType() == PostgreSqlLexer.TEMP || words.get(i).getText().equalsIgnoreCase("unlogged"))) {
            i++;
        }
        return i;
    }

    /** The name that follows the object kind (IF [NOT] EXISTS skipped), or null. */
    private static Name nameAfterKind(List<Token> words, int from) {
        String kind = objectKind(words, from);
        int i = skipTemp(words, from) + (kind == null ? 1 : kind.split(" ").length);
        while (i < words.size() && (words.get(i).getType() == PostgreSqlLexer.IF || words.get(i).getType() == PostgreSqlLexer.NOT
                || words.get(i).getType() == PostgreSqlLexer.EXISTS)) {
            i++;
        }
        if (i >= words.size()) {
            return null;
        }
        String first = Name.part(words.get(i).getText());
        if (i + 2 < words.size() && words.get(i + 1).getType() == PostgreSqlLexer.DOT) {
            return new Name(first, Name.part(words.get(i + 2).getText()), false);
        }
        return new Name(null, first, words.get(i).getType() == PostgreSqlLexer.PLACEHOLDER);
    }

    // ---- pieces ---------------------------------------------------------------------------------

    static Name name(QnameContext q) {
        List<NameContext> parts = q.name();
        boolean placeholder = parts.stream().anyMatch(p -> p.PLACEHOLDER() != null
                || p.QUOTED_IDENT() != null && p.getText().matches("\"(\\{\\w*\\}|%s|%\\(\\w+\\)s)\""));
        String last = part(parts.get(parts.size() - 1));
        String schema = parts.size() > 1 ? part(parts.get(parts.size() - 2)) : null;
        return new Name(schema, last, placeholder);
    }

    private static String part(NameContext n) {
        return Name.part(n.getText());
    }

    /** The column names inside a parenthesised list: (a, "B", c DESC) -> a, B, c. */
    private static List<String> names(ParensContext p) {
        List<String> out = new ArrayList<>();
        if (p == null) {
            return out;
        }
        boolean atStart = true;
        for (int i = 1; i < p.getChildCount() - 1; i++) {
            ParseTree c = p.getChild(i);
            if (c instanceof TerminalNode t && t.getSymbol().getType() == PostgreSqlLexer.COMMA) {
                atStart = true;
            } else if (atStart && c instanceof TerminalNode t) {
                out.add(Name.part(t.getText()));
                atStart = false;
            } else {
                atStart = false;
            }
        }
        return out;
    }

    private static String type(DataTypeContext t) {
        StringBuilder out = new StringBuilder();
        for (Token tok : tokens(t)) {
            String s = tok.getType() == PostgreSqlLexer.QUOTED_IDENT ? Name.part(tok.getText()) : tok.getText().toLowerCase(Locale.ROOT);
            boolean glue = out.length() == 0 || s.equals("(") || s.equals(")") || s.equals(",") || s.equals(".")
                    || s.equals("[") || s.equals("]") || out.charAt(out.length() - 1) == '(' || out.charAt(out.length() - 1) == '.'
                    || out.charAt(out.length() - 1) == '[';
            out.append(glue ? "" : " ").append(s);
        }
        return out.toString().replace(",", ", ");
    }

    /** The original text of a part of the statement. */
    private String text(ParserRuleContext c) {
        if (c == null || c.getStart() == null || c.getStop() == null || c.getStop().getStopIndex() < c.getStart().getStartIndex()) {
            return "";
        }
        return sql.substring(c.getStart().getStartIndex(), c.getStop().getStopIndex() + 1);
    }

    /** The tokens of a part, space-separated (for LOCK's mode, an unread action). */
    private static String words(ParserRuleContext c) {
        StringBuilder out = new StringBuilder();
        for (Token t : tokens(c)) {
            out.append(out.length() == 0 ? "" : " ").append(t.getText());
        }
        return out.toString();
    }

    private static List<Token> tokens(ParserRuleContext c) {
        List<Token> out = new ArrayList<>();
        collect(c, out);
        return out;
    }

    private static void collect(ParseTree t, List<Token> out) {
        if (t instanceof TerminalNode n) {
            if (n.getSymbol().getType() != Token.EOF) {
                out.add(n.getSymbol());
            }
            return;
        }
        for (int i = 0; i < t.getChildCount(); i++) {
            collect(t.getChild(i), out);
        }
    }

    /** Whether a token of this type appears at the top level of a part (not inside parentheses). */
    private static boolean hasToken(ParserRuleContext c, int type) {
        if (c == null) {
            return false;
        }
        for (int i = 0; i < c.getChildCount(); i++) {
            if (c.getChild(i) instanceof TerminalNode t && t.getSymbol().getType() == type) {
                return true;
            }
            if (type == PostgreSqlLexer.FULL && c.getChild(i) instanceof ParensContext p && hasToken(p, type)) {
                return true; // VACUUM (FULL, ANALYZE)
            }
        }
        return false;
    }

    /** The first name-like token of a part (CLUSTER t USING i), or null. */
    private static Name firstName(ParserRuleContext c) {
        for (Token t : tokens(c)) {
            if (t.getType() == PostgreSqlLexer.IDENT || t.getType() == PostgreSqlLexer.QUOTED_IDENT) {
                return Name.of(Name.part(t.getText()));
            }
            if (t.getType() == PostgreSqlLexer.LPAREN) {
                return null;
            }
        }
        return null;
    }

    /** The last name-like token outside parentheses (VACUUM (FULL) t), or null. */
    private static Name lastName(AnythingContext c) {
        Name out = null;
        for (int i = 0; i < c.getChildCount(); i++) {
            if (c.getChild(i) instanceof TerminalNode t && (t.getSymbol().getType() == PostgreSqlLexer.IDENT
                    || t.getSymbol().getType() == PostgreSqlLexer.QUOTED_IDENT)) {
                out = Name.of(Name.part(t.getText()));
            }
        }
        return out;
    }

    /** A function's or DO block's body: the text of its first string or dollar-quoted string. */
    private static String body(AnythingContext c) {
        for (Token t : tokens(c)) {
            if (t.getType() == PostgreSqlLexer.DOLLAR_STRING) {
                String s = t.getText();
                int open = s.indexOf('$', 1) + 1;
                return s.substring(open, Math.max(open, s.length() - open));
            }
            if (t.getType() == PostgreSqlLexer.STRING) {
                return stringValue(t.getText());
            }
        }
        return null;
    }

    /** The value of a '...' literal. */
    static String stringValue(String literal) {
        String s = literal;
        int q = s.indexOf('\'');
        s = s.substring(q + 1);
        if (s.endsWith("'")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.replace("''", "'");
    }

    private static boolean cascade(DropBehaviourContext d) {
        return d != null && d.CASCADE() != null;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static Set<Flag> flags(Object... pairs) {
        Set<Flag> out = EnumSet.noneOf(Flag.class);
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if ((Boolean) pairs[i]) {
                out.add((Flag) pairs[i + 1]);
            }
        }
        return out;
    }
}
