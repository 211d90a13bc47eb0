package dev.migsafe.rules;

import dev.migsafe.deployed.DeployedCode;
import dev.migsafe.graph.LoadedSnapshot;
import dev.migsafe.graph.MigrationGraph;
import dev.migsafe.migration.DeployClass;
import dev.migsafe.migration.Diagnostic;
import dev.migsafe.migration.Finding;
import dev.migsafe.migration.MigrationKey;
import dev.migsafe.migration.Operation;
import dev.migsafe.migration.OperationArgs;
import dev.migsafe.migration.Reversibility;
import dev.migsafe.migration.Severity;
import dev.migsafe.migration.Stage;
import dev.migsafe.migration.Targets;
import dev.migsafe.rules.locks.AlterFieldEffect;
import dev.migsafe.state.ModelState;
import dev.migsafe.state.ProjectState;
import dev.migsafe.state.Replayer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Replays every migration of a snapshot in Django's plan order and, for each analysed migration,
 * runs the rules on each operation with the state before it, then the migration and range rules,
 * and turns the findings into verdicts. Operations inside SeparateDatabaseAndState's
 * state_operations only change the state; its database_operations are judged as if they stood
 * alone (RULES.md exemptions). A post-deploy migration's contract steps are reported as
 * satisfied (PRODUCT.md "Stages").
 */
public final class Analyzer {

    /** The second phase of a two-phase change: right in a post-deploy migration. */
    static final Set<String> CONTRACT_RULES = Set.of("C102", "C105", "C107", "C116");

    private final Settings settings;
    private final Map<String, String> swappable;
    private final List<Rule> rules;
    private FindingPolicy policy = FindingPolicy.NONE;
    private SqlAnalysis sql;

    public Analyzer(Settings settings, Map<String, String> swappable) {
        this(settings, swappable, RuleCatalog.all());
    }

    /** The project's decisions about findings (disabled rules, severities, suppressions, baseline). */
    public Analyzer withPolicy(FindingPolicy p) {
        this.policy = p;
        return this;
    }

    private dev.migsafe.git.Snapshot deployedSide;
    private dev.migsafe.deployed.History history = dev.migsafe.deployed.History.NONE;

    /**
     * The code deployed while the analysed migrations run (the range's base side; HEAD for the
     * index): contract steps it no longer maps are satisfied, and hazards name where it uses them.
     */
    public Analyzer withDeployed(dev.migsafe.git.Snapshot base) {
        this.deployedSide = base;
        return this;
    }

    /** The deployed side with its history (which commit removed a field or model, for satisfied findings). */
    public Analyzer withDeployed(dev.migsafe.git.Snapshot base, dev.migsafe.deployed.History h) {
        this.history = h;
        return withDeployed(base);
    }

    public Analyzer(Settings settings, Map<String, String> swappable, List<Rule> rules) {
        this.settings = settings;
        this.swappable = new HashMap<>(MigrationGraph.DEFAULT_SWAPPABLE);
        this.swappable.putAll(swappable);
        this.rules = rules;
    }

    /**
     * @param analysed the migrations to judge (those a range adds or changes)
     * @param eachAlone judge every analysed migration as if it were the only new one (an audit of
     *                  all migrations): a table then counts as new only within its own migration
     */
    public Analysis run(LoadedSnapshot head, Set<MigrationKey> analysed, boolean eachAlone) {
        MigrationGraph graph = head.graph();
        ProjectState state = new ProjectState(graph.apps(), swappable, head.fieldClasses());
        Replayer replayer = new Replayer(state);
        Predicate<MigrationKey> isNew = eachAlone ? k -> false : analysed::contains;
        List<MigrationContext> judged = new ArrayList<>();
        Map<MigrationContext, Map<Integer, List<String>>> locks = new HashMap<>();
        Map<MigrationContext, String> notes = new HashMap<>();
        Map<MigrationKey, Stage> stages = new HashMap<>();
        OldCode oldCode = new OldCode();
        // Made when a rule first asks: most runs (a pre-commit hook's) never need the deployed code.
        java.util.function.Supplier<DeployedCode> deployed = eachAlone || deployedSide == null ? () -> DeployedCode.NONE
                : memo(() -> DeployedCode.of(deployedSide, appDirs(head), head.snapshot().migrations().keySet(),
                        head.parser()).withHistory(history));
        sql = new SqlAnalysis(rules);
        for (MigrationGraph.Node node : graph.topologicalOrder()) {
            if (node.file().migration() == null) {
                continue;
            }
            stages.put(node.key(), Stage.of(node.file().migration()));
            List<Operation> ops = node.file().migration().operations();
            if (!node.file().migration().operationsResolved()) {
                replayer.unreadOperations(node.key().app());
            }
            if (!analysed.contains(node.key())) {
                ops.forEach(op -> replay(replayer, node, op));
                continue;
            }
            // An audit judges each migration alone: old code is what ran before that migration.
            MigrationContext mc = new MigrationContext(node.key(), node.path(), node.file(), settings, isNew,
                    eachAlone ? new OldCode() : oldCode);
            for (MigrationKey parent : node.parents()) {
                mc.parentStages().put(parent, stages.getOrDefault(parent, Stage.PRE_DEPLOY));
            }
            if (!eachAlone) {
                mc.earlierInRange(judged);
            }
            mc.deployed(deployed);
            judged.add(mc);
            sql.memory().startMigration();
            if (node.isSquash()) {
                // Databases that applied the replaced migrations mark a squash applied without running it.
                notes.put(mc, "squashed migration: databases that applied the " + node.replaces().size()
                        + " migrations it replaces record it without running it; fresh databases run it instead");
                ops.forEach(op -> replay(replayer, node, op));
                continue;
            }
            Map<Integer, List<String>> opLocks = new HashMap<>();
            for (int i = 0; i < ops.size(); i++) {
                Operation op = ops.get(i);
                opLocks.put(i, judgeGuarded(mc, op, i, state));
                mc.locks(i, opLocks.get(i));
                replay(replayer, node, op);
            }
            locks.put(mc, opLocks);
            for (Rule r : rules) {
                if (r instanceof MigrationRule mr) {
                    mr.judge(mc);
                }
            }
        }
        for (Rule r : rules) {
            if (r instanceof RangeRule rr) {
                rr.judge(judged);
            }
        }
        List<Finding> project = eachAlone || deployedSide == null ? List.of() : projectFindings(head, state);
        return verdicts(judged, locks, notes, state, policy.applyAll(project));
    }

    private static <T> java.util.function.Supplier<T> memo(java.util.function.Supplier<T> make) {
        Object[] made = new Object[1];
        return () -> {
            if (made[0] == null) {
                made[0] = make.get();
            }
            @SuppressWarnings("unchecked")
            T t = (T) made[0];
            return t;
        };
    }

    /** Each app's folder (where its migrations/ folder is), from the head's migration files. */
    static Map<String, String> appDirs(LoadedSnapshot head) {
        Map<String, String> out = new HashMap<>();
        for (MigrationGraph.LabeledFile f : head.files()) {
            String path = f.file().path();
            int at = path.lastIndexOf("migrations/");
            if (at >= 0) {
                out.putIfAbsent(f.app(), path.substring(0, at));
            }
        }
        return out;
    }

    /**
     * Replays one operation; one that the replay cannot take (a value no migration should hold)
     * becomes a replay problem and leaves the state as it was, so later operations are still judged.
     */
    private static void replay(Replayer replayer, MigrationGraph.Node node, Operation op) {
        try {
            replayer.apply(node.key().app(), node.key(), node.path(), op);
        } catch (RuntimeException | StackOverflowError e) {
            replayer.failed(node.key().app(), node.path(), op, RuleFailure.describe(e));
        }
    }

    /** {@link #judge}, with a failure outside the rules (state lookups, locks) reported as P007 on the operation. */
    private List<String> judgeGuarded(MigrationContext mc, Operation op, int index, ProjectState state) {
        try {
            return judge(mc, op, index, false, state);
        } catch (RuntimeException | StackOverflowError e) {
            RuleFailure.onOperation(new OperationContext(mc, op, index, false, state), "the analysis", e);
            return List.of();
        }
    }

    /** Runs the operation rules on one operation; returns its locks. */
    private List<String> judge(MigrationContext mc, Operation op, int index, boolean nested, ProjectState state) {
        if (op.type() == null) {
            return List.of();
        }
        if (op.type().equals("SeparateDatabaseAndState")) {
            for (Operation s : op.stateOperations()) {
                mc.recordModelAtStart(new OperationContext(mc, s, index, true, state).targetModel());
            }
            List<String> out = new ArrayList<>();
            for (Operation db : op.databaseOperations()) {
                out.addAll(judge(mc, db, index, true, state));
            }
            return out;
        }
        OperationContext ctx = new OperationContext(mc, op, index, nested, state);
        String unreadable = OperationArgs.unreadable(op);
        if (unreadable != null) {
            // Which model it changes is unknown: judging it against a guessed one would be noise.
            ctx.report(RuleCatalog.byId(Diagnostic.DYNAMIC), op.type() + ": " + unreadable
                            + ", so migsafe cannot tell what it changes and no rule judged it",
                    "Write the operation's arguments as literals, as makemigrations does, or review it by hand.");
            return List.of();
        }
        mc.recordModelAtStart(ctx.targetModel());
        if (!nested) {
            mc.recordModelBefore(index, ctx.targetModel());
            mc.effect(index, AlterFieldEffect.of(ctx));
            String field = "RenameField".equals(op.type()) ? ctx.str(1, "old_name") : ctx.str(1, "name");
            ModelState target = ctx.targetModel();
            if (op.type().endsWith("Field") && field != null && target != null) {
                mc.fieldTarget(index, new MigrationContext.FieldTarget(target.key(), target.table(),
                        field.toLowerCase(java.util.Locale.ROOT), HistoryTables.trackedModel(target, state)));
            }
        }
        boolean noLocks = judgeRules(mc, ctx, r -> true);
        List<String> sqlLocks = SqlAnalysis.runsSql(ctx)
                ? sql.judge(ctx, (sqlOp, origin, equivalent) -> judgeEquivalent(mc, equivalent, index, state, origin))
                : null;
        // After the rules: what a rule found says more. A column the range added is exempt per rule.
        ctx.explain(ctx.exemption());
        if (noLocks) {
            return List.of();
        }
        if (sqlLocks == null) {
            return Locks.of(ctx);
        }
        return sqlLocks; // read statement by statement; SQL that is not a literal says so there
    }

    /**
     * Judges the Django operation a SQL statement stands for, as a nested operation of the one
     * that runs the SQL: only the compatibility, lock and stage rules apply (the reverse is
     * reverse_sql's, judged from the SQL). Returns its locks.
     */
    private List<String> judgeEquivalent(MigrationContext mc, Operation op, int index, ProjectState state, SqlOrigin origin) {
        OperationContext ctx = new OperationContext(mc, op, index, true, state, origin);
        boolean noLocks = judgeRules(mc, ctx, r -> (r.isSchemaRule() || r.id().startsWith("S"))
                && !origin.skipped().contains(r.id()));
        return noLocks ? List.of() : Locks.of(ctx);
    }

    /**
     * Runs the operation rules that {@code applies} admits on one operation, under the general
     * exemptions, and records the target for old code. Returns whether the operation's locks are
     * worth no word: a table the range created is empty when the migration runs, even under a name
     * old code knows (then old code's reads and writes are still judged).
     */
    private boolean judgeRules(MigrationContext mc, OperationContext ctx, Predicate<Rule> applies) {
        ModelState target = ctx.targetModel();
        boolean exempt = ctx.exempt(target);
        boolean noLocks = exempt || ctx.createdInRange(target);
        if (!exempt) {
            mc.oldCode().record(target, ctx::columnType);
        }
        for (Rule r : rules) {
            if (r instanceof OperationRule or && applies.test(r) && !skips(or, exempt, noLocks)) {
                or.judge(ctx);
            }
        }
        return noLocks;
    }

    private static boolean skips(OperationRule r, boolean exempt, boolean noLocks) {
        if (!r.isSchemaRule()) {
            return false;
        }
        return r.id().startsWith("L") ? noLocks : exempt && !r.judgesExemptTargets();
    }

    /**
     * The project rules (G011), on the apps whose models modules the range changed, against the
     * state all of the head's migrations leave; nothing is read when no models module changed.
     */
    private List<Finding> projectFindings(LoadedSnapshot head, ProjectState state) {
        Map<String, String> dirs = appDirs(head);
        Set<String> changedDirs = DeployedCode.modelsChanged(deployedSide, head.snapshot(), dirs.values());
        Set<String> changed = new java.util.TreeSet<>();
        dirs.forEach((app, dir) -> {
            if (changedDirs.contains(dir)) {
                changed.add(app);
            }
        });
        if (changed.isEmpty()) {
            return List.of();
        }
        ProjectCheck check = new ProjectCheck(state, DeployedCode.head(head.snapshot(), dirs,
                head.snapshot().migrations().keySet(), head.parser()), changed);
        for (Rule r : rules) {
            if (r instanceof ProjectRule pr) {
                try {
                    pr.judge(check);
                } catch (RuntimeException | StackOverflowError e) {
                    // Reported where the models are, as P007: the other findings of the run stand.
                    String app = changed.iterator().next();
                    RuleFailure.onProject(check, (Rule) pr, dirs.get(app) + "models.py", app, e);
                }
            }
        }
        return check.findings();
    }

    private Analysis verdicts(List<MigrationContext> judged, Map<MigrationContext, Map<Integer, List<String>>> locks,
                              Map<MigrationContext, String> notes, ProjectState state, List<Finding> project) {
        List<MigrationVerdict> out = new ArrayList<>();
        List<Finding> all = new ArrayList<>(project);
        int unknown = 0;
        for (MigrationContext mc : judged) {
            unknown += mc.unknownCount();
            List<Finding> findings = Overlaps.fold(
                    policy.applyAll(mc.stage() == Stage.POST_DEPLOY ? satisfied(mc.findings()) : mc.findings()));
            // Verdicts from the findings one by one; reports show same-fact findings merged (Grouping).
            List<Finding> shown = Grouping.apply(Overlaps.historyTables(findings, mc), mc.members(), rules, mc.app());
            Map<Integer, List<Finding>> byOp = new LinkedHashMap<>();
            for (Finding f : findings) {
                if (f.operation() != null && !f.isSuppressed()) {
                    byOp.computeIfAbsent(f.operation(), k -> new ArrayList<>()).add(f);
                }
            }
            Map<Integer, List<Finding>> shownByOp = new LinkedHashMap<>();
            for (Finding f : shown) {
                if (f.operation() != null && !f.isSuppressed()) {
                    shownByOp.computeIfAbsent(f.operation(), k -> new ArrayList<>()).add(f);
                }
            }
            List<OperationVerdict> ops = new ArrayList<>();
            DeployClass mClass = DeployClass.COMPATIBLE;
            Reversibility mRev = Reversibility.YES;
            List<Operation> operations = mc.operations();
            for (int i = 0; i < operations.size(); i++) {
                Operation op = operations.get(i);
                List<Finding> fs = byOp.getOrDefault(i, List.of());
                DeployClass cls = DeployClass.COMPATIBLE;
                Reversibility rev = Reversibility.YES;
                String reason = null;
                for (Finding f : fs) {
                    cls = cls.worst(f.deployClass());
                    Rule rule = RuleCatalog.byId(f.rule());
                    if (rule != null) {
                        rev = rev.worst(rule.info().reversibility());
                    }
                }
                for (Finding f : fs) {
                    if (f.deployClass() == cls && cls != DeployClass.COMPATIBLE && reason == null) {
                        reason = f.message();
                    }
                }
                if (reason == null) {
                    reason = notes.containsKey(mc) ? "part of a squashed migration" : Describe.of(mc.app(), op, mc.effect(i), mc.explanation(i));
                }
                List<String> opLocks = locks.getOrDefault(mc, Map.of()).getOrDefault(i, List.of());
                ops.add(new OperationVerdict(i, op, Targets.of(mc.app(), op), cls, rev, opLocks, reason,
                        shownByOp.getOrDefault(i, List.of())));
                mClass = mClass.worst(cls);
                mRev = mRev.worst(rev);
            }
            ops = DeletedWithModel.apply(mc.app(), ops);
            for (Finding f : findings) {
                if (f.operation() == null && !f.isSuppressed()) {
                    mClass = mClass.worst(f.deployClass());
                    Rule rule = RuleCatalog.byId(f.rule());
                    if (rule != null) {
                        mRev = mRev.worst(rule.info().reversibility()); // e.g. a Migration whose unapply() raises
                    }
                }
            }
            out.add(new MigrationVerdict(mc.key(), mc.path(), mc.stage(), mClass, mRev, ops, shown, notes.get(mc)));
            all.addAll(shown);
        }
        return new Analysis(out, all, state.problems(), unknown);
    }

    /** Post-deploy: a contract step is the right second phase, reported as satisfied. */
    private static List<Finding> satisfied(List<Finding> findings) {
        List<Finding> out = new ArrayList<>();
        for (Finding f : findings) {
            out.add(CONTRACT_RULES.contains(f.rule()) && f.deployClass() == DeployClass.TWO_PHASE
                    ? new Finding(f.rule(), Severity.INFO, f.path(), f.line(), f.column(), f.app(), f.migration(),
                            "satisfied (post-deploy migration, runs after the rollout): " + f.message(),
                            "Nothing to do: this post-deploy migration is the second release of the change.",
                            DeployClass.COMPATIBLE, f.operation())
                    : f);
        }
        return out;
    }
}
