package dev.migsafe.rules;

import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.Migration;
import dev.migsafe.migration.MigrationFile;
import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.Operation;
import dev.migsafe.migration.Severity;
import dev.migsafe.migration.Stage;
import dev.migsafe.state.ModelState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** What a migration rule sees: the migration, its stage, its operations, and where findings go. */
public final class MigrationContext {

    private final MigrationKey key;
    private final String path;
    private final MigrationFile file;
    private final Stage stage;
    private final Settings settings;
    private final Predicate<MigrationKey> isNew;
    private final List<Finding> findings = new ArrayList<>();
    private final java.util.Map<MigrationKey, Stage> parentStages = new java.util.LinkedHashMap<>();
    private final java.util.Map<Integer, ModelState> modelsBefore = new java.util.HashMap<>();
    private final java.util.Map<Integer, List<String>> locks = new java.util.HashMap<>();
    private final java.util.Map<String, ModelState> modelsAtStart = new java.util.HashMap<>();
    private final java.util.Map<Integer, String> effects = new java.util.HashMap<>();
    private final java.util.Map<Integer, String> explanations = new java.util.HashMap<>();
    private final java.util.Map<String, Grouping.Member> members = new java.util.HashMap<>();
    private int unknown;
    private final OldCode oldCode;

    MigrationContext(MigrationKey key, String path, MigrationFile file, Settings settings, Predicate<MigrationKey> isNew) {
        this(key, path, file, settings, isNew, new OldCode());
    }

    /** @param oldCode the tables as old code knows them, shared by the migrations judged together */
    MigrationContext(MigrationKey key, String path, MigrationFile file, Settings settings, Predicate<MigrationKey> isNew,
                     OldCode oldCode) {
        this.oldCode = oldCode;
        this.key = key;
        this.path = path;
        this.file = file;
        this.stage = Stage.of(file.migration());
        this.settings = settings;
        this.isNew = isNew;
    }

    public MigrationKey key() {
        return key;
    }

    private java.util.function.Supplier<dev.migsafe.deployed.DeployedCode> deployed = () -> null;

    /** The code that runs beside this migration's schema during the rollout (the range's base side). */
    public dev.migsafe.deployed.DeployedCode deployed() {
        dev.migsafe.deployed.DeployedCode code = deployed.get();
        return code == null ? dev.migsafe.deployed.DeployedCode.NONE : code;
    }

    void deployed(java.util.function.Supplier<dev.migsafe.deployed.DeployedCode> code) {
        this.deployed = code;
    }

    public String app() {
        return key.app();
    }

    public String name() {
        return key.name();
    }

    public String path() {
        return path;
    }

    public MigrationFile file() {
        return file;
    }

    public Migration migration() {
        return file.migration();
    }

    public List<Operation> operations() {
        return file.migration().operations();
    }

    public Stage stage() {
        return stage;
    }

    public Settings settings() {
        return settings;
    }

    /** The stage of each migration this one depends on (external ones: pre-deploy). */
    public java.util.Map<MigrationKey, Stage> parentStages() {
        return parentStages;
    }

    /**
     * For range rules, which run after the replay: the model a top-level operation targets as it
     * was just before that operation (a copy), or null when the state did not have it.
     */
    public ModelState modelBefore(int index) {
        return modelsBefore.get(index);
    }

    /**
     * A fact a rule derives once per migration (an index of its data steps, say) instead of once
     * per operation: rules asking per operation would otherwise cost the square of its length.
     */
    @SuppressWarnings("unchecked")
    public <T> T memo(Object key, java.util.function.Supplier<T> make) {
        return (T) memos.computeIfAbsent(key, k -> make.get());
    }

    private final java.util.Map<Object, Object> memos = new java.util.HashMap<>();

    /** The operations by what they concern (built on first use). */
    OperationIndex index() {
        if (index == null) {
            index = new OperationIndex(operations());
        }
        return index;
    }

    private OperationIndex index;

    void recordModelBefore(int index, ModelState model) {
        if (model != null && !modelsBefore.containsKey(index) && snapshotFields < MAX_SNAPSHOT_FIELDS) {
            snapshotFields += model.fields().size() + 1;
            modelsBefore.put(index, model.copy());
        }
    }

    /**
     * A copy per operation costs the model's size each time: thousands of AddFields on one model
     * would need memory quadratic in the operations. Past this many copied fields a migration
     * records no more copies, and rules asking for a model before a later operation get null,
     * which each of them reads as "not known" (no finding from that comparison).
     */
    static final int MAX_SNAPSHOT_FIELDS = 500_000;
    private int snapshotFields;

    /**
     * A model as it was when this migration started (a copy), by state key; null when no
     * operation of the migration has named it yet or the state did not have it. What the table
     * guaranteed then still binds old code, whatever the migration did to it since.
     */
    public ModelState modelAtStart(String key) {
        return modelsAtStart.get(key);
    }

    /**
     * Called before each operation with the model it names: the first call per model keeps it.
     * Only operations that name a model change it, so the state at its first mention is the state
     * at the start of the migration.
     */
    void recordModelAtStart(ModelState model) {
        if (model != null && !modelsAtStart.containsKey(model.key())) {
            modelsAtStart.put(model.key(), model.copy());
        }
    }

    private List<MigrationContext> earlierInRange = List.of();

    /**
     * The migrations of the analysed range judged before this one, in the order they run; empty
     * in an audit, which judges every migration alone.
     */
    public List<MigrationContext> earlierInRange() {
        return earlierInRange;
    }

    void earlierInRange(List<MigrationContext> migrations) {
        this.earlierInRange = List.copyOf(migrations);
    }

    /** The tables as old code knows them (before the analysed range touched them). */
    public OldCode oldCode() {
        return oldCode;
    }

    /** Django's default: atomic unless the class says {@code atomic = False}. */
    public boolean atomic() {
        return !Boolean.FALSE.equals(file.migration().atomic());
    }

    /** Whether a migration (e.g. the one that created a table) is this one or in the analysed range. */
    public boolean isNew(MigrationKey created) {
        return created != null && (created.equals(key) || isNew.test(created));
    }

    private String sqlLockTimeout;

    /** The lock_timeout this migration's own SQL sets (SET [LOCAL] lock_timeout), or null. */
    public String sqlLockTimeout() {
        return sqlLockTimeout;
    }

    void sqlLockTimeout(String value) {
        if (sqlLockTimeout == null) {
            sqlLockTimeout = value;
        }
    }

    /** A finding on the Migration class line (operation null) or on an operation (its index). */
    public void report(Rule rule, int line, int column, Integer operation, String message, String fix) {
        DeployClass cls = rule.info().deployClass();
        add(new Finding(rule.id(), severityOf(rule, cls), path, line, column, app(), name(), message, fix, cls, operation));
    }

    public void report(Rule rule, Operation op, int index, String message, String fix) {
        report(rule, op.line(), op.column(), index, message, fix);
    }

    /**
     * The locks the top-level operation at {@code index} takes on existing tables (see
     * {@link Locks}); empty when it runs no DDL on an existing table, including operations that
     * RULES.md's general exemptions cover (a new table, an unmanaged or proxy model). Known once
     * the operations have been judged, i.e. for migration and range rules.
     */
    public List<String> locks(int index) {
        return locks.getOrDefault(index, List.of());
    }

    void locks(int index, List<String> opLocks) {
        locks.put(index, List.copyOf(opLocks));
    }

    /** What the top-level operation at {@code index} does in the database, in words (AlterField), or null. */
    String effect(int index) {
        return effects.get(index);
    }

    void effect(int index, String words) {
        if (words != null) {
            effects.put(index, words);
        }
    }

    /**
     * What a top-level field operation targets, for folding a simple-history mirror's finding into
     * its tracked model's (see {@link Overlaps#historyTables}): the model's state key and table,
     * the field, and the tracked model's key when the model is a mirror (else null).
     */
    record FieldTarget(String model, String table, String field, String tracked) {}

    private final java.util.Map<Integer, FieldTarget> fieldTargets = new java.util.HashMap<>();

    FieldTarget fieldTarget(int index) {
        return fieldTargets.get(index);
    }

    void fieldTarget(int index, FieldTarget target) {
        fieldTargets.put(index, target);
    }

    /** Why the top-level operation at {@code index} is compatible (see {@link OperationContext#explain}), or null. */
    String explanation(int index) {
        return explanations.get(index);
    }

    void explain(int index, String reason) {
        if (reason != null) {
            explanations.putIfAbsent(index, reason);
        }
    }

    /** The grouped findings' members (see {@link Grouping}), by {@link Grouping#key}. */
    java.util.Map<String, Grouping.Member> members() {
        return members;
    }

    void add(Finding f) {
        findings.add(f);
    }

    private final java.util.Set<Operation> unknownReported = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    /** True the first time an operation gets a "state unknown" finding. */
    boolean firstUnknown(Operation op) {
        return unknownReported.add(op);
    }

    void countUnknown() {
        unknown++;
    }

    int unknownCount() {
        return unknown;
    }

    public List<Finding> findings() {
        return findings;
    }

    static Severity severityOf(Rule rule, DeployClass cls) {
        if (cls == DeployClass.REVIEW) {
            return Severity.WARNING;
        }
        if (cls == DeployClass.COMPATIBLE) {
            return Severity.INFO;
        }
        // Two-phase or downtime: the rule's own severity for its own class, else RULES.md's default (error).
        return cls == null || cls == rule.info().deployClass() ? rule.info().severity() : Severity.ERROR;
    }
}
