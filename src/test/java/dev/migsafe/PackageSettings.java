package dev.migsafe;

import org.approvaltests.core.ApprovalFailureReporter;
import org.approvaltests.reporters.JunitReporter;

/** ApprovalTests settings: show expected vs actual in the test failure, keep approvals in one folder. */
public class PackageSettings {
    public static ApprovalFailureReporter UseReporter = new JunitReporter();
    public static String UseApprovalSubdirectory = "approvals";
}
