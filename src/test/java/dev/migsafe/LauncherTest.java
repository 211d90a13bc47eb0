package dev.migsafe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/migsafe, run by the system's sh in a copy of the checkout layout (bin/migsafe beside
 * target/migsafe.jar) with fake Java runtimes: their `java` writes the arguments it got to a file,
 * and creates the file that -XX:ArchiveClassesAtExit names, as a JVM would at exit.
 */
class LauncherTest {

    private static final List<String> JVM_FLAGS = List.of("-Xlog:disable", "-Xlog:all=error:stderr",
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmn256m", "-XX:-UsePerfData");

    private static final String FAKE_JAVA = """
            #!/bin/sh
            for a; do
                printf '%s\\n' "$a"
                case $a in -XX:ArchiveClassesAtExit=*) : > "${a#*=}" ;; esac
            done > "$MIGSAFE_TEST_ARGS"
            exit 0
            """;

    @TempDir
    Path dir;

    Path checkout;
    Path launcher;
    Path jar;
    Path home;
    Path cache;
    Path args;
    Path jdk17;
    Path jdk21;
    Path emptyPath;

    @BeforeEach
    void layout() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX sh");
        checkout = dir.resolve("checkout");
        launcher = checkout.resolve("bin/migsafe");
        Files.createDirectories(launcher.getParent());
        Files.copy(Path.of("bin/migsafe"), launcher);
        executable(launcher);
        jar = checkout.resolve("target/migsafe.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "jar one");
        // Built a while ago: the stamp the launcher writes is then newer than the jar.
        age(jar, 60);
        home = dir.resolve("home");
        Files.createDirectories(home);
        cache = home.resolve(".cache/migsafe");
        args = dir.resolve("args");
        jdk17 = jdk("jdk17", "17.0.9+9");
        jdk21 = jdk("jdk21", "21.0.2+13-LTS");
        emptyPath = dir.resolve("no-commands");
        Files.createDirectories(emptyPath);
    }

    private Path jdk(String name, String version) throws IOException {
        Path home = dir.resolve(name);
        Path java = home.resolve("bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, FAKE_JAVA);
        executable(java);
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version.replaceAll("\\+.*", "") + "\"\n"
                + "JAVA_RUNTIME_VERSION=\"" + version + "\"\n");
        return home;
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void age(Path file, int seconds) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(seconds)));
    }

    /** Runs the launcher (as `sh PROGRAM ARGS`) and returns the arguments java got. */
    private List<String> run(Path javaHome, Map<String, String> extra, String program, String... arguments)
            throws IOException, InterruptedException {
        Files.deleteIfExists(args);
        List<String> command = new ArrayList<>(List.of("/bin/sh", program));
        command.addAll(List.of(arguments));
        ProcessBuilder pb = new ProcessBuilder(command).directory(checkout.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", home.toString());
        env.put("JAVA_HOME", javaHome.toString());
        env.put("MIGSAFE_TEST_ARGS", args.toString());
        env.putAll(extra);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        return Files.readAllLines(args);
    }

    private List<String> run(Path javaHome, String... arguments) throws IOException, InterruptedException {
        return run(javaHome, Map.of(), launcher.toString(), arguments);
    }

    private List<String> expected(List<String> cds, String... arguments) {
        List<String> out = new ArrayList<>(JVM_FLAGS);
        out.addAll(cds);
        out.addAll(List.of("-Dmigsafe.launcher=" + launcher, "-jar", jar.toString()));
        out.addAll(List.of(arguments));
        return out;
    }

    private List<String> archives() throws IOException {
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cache)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private String key() throws IOException {
        return Files.readAllLines(checkout.resolve("target/migsafe.jar.stamp")).get(0);
    }

    @Test
    void theFirstAnalysisOnJava17WritesTheArchiveThatLaterRunsMap() throws Exception {
        List<String> first = run(jdk17, "analyze", "--staged");
        assertEquals(1, first.stream().filter(a -> a.startsWith("-XX:ArchiveClassesAtExit=")).count(), first.toString());
        String archive = "cds-" + key() + "-17.0.9_9.jsa";
        assertEquals(List.of(archive), archives());

        assertEquals(expected(List.of("-XX:SharedArchiveFile=" + cache.resolve(archive)), "analyze", "--staged"),
                run(jdk17, "analyze", "--staged"));
        assertEquals(expected(List.of("-XX:SharedArchiveFile=" + cache.resolve(archive)), "--version"), run(jdk17, "--version"));
    }

    @Test
    void onlyAnAnalysisTrainsTheArchive() throws Exception {
        assertEquals(expected(List.of(), "--version"), run(jdk17, "--version"));
        assertEquals(expected(List.of(), "analyze", "--help"), run(jdk17, "analyze", "--help"));
        assertEquals(expected(List.of(), "rules"), run(jdk17, "rules"));
        assertEquals(List.of(), archives());
    }

    @Test
    void java19AndLaterCreateTheArchiveThemselves() throws Exception {
        String archive = cache.resolve("cds-" + keyAfter(jdk21) + "-21.0.2_13-LTS.jsa").toString();
        assertEquals(expected(List.of("-XX:SharedArchiveFile=" + archive, "-XX:+AutoCreateSharedArchive"), "analyze"),
                run(jdk21, "analyze"));
        assertEquals(expected(List.of(), "--version"), run(jdk21, "--version"));
    }

    private String keyAfter(Path javaHome) throws Exception {
        run(javaHome, "--version");
        return key();
    }

    @Test
    void aWarmRunNeedsNoCommandButJava() throws Exception {
        run(jdk17, "analyze", "--staged");
        List<String> withCommands = run(jdk17, "analyze", "--staged");
        // No readlink, sed, cksum, mkdir...: with nothing on PATH the launcher does the same.
        assertEquals(withCommands, run(jdk17, Map.of("PATH", emptyPath.toString()), launcher.toString(), "analyze", "--staged"));
    }

    @Test
    void javaIsFoundOnPathWithoutJavaHome() throws Exception {
        Path bin = dir.resolve("path-bin");
        Files.createDirectories(bin);
        Files.createSymbolicLink(bin.resolve("java"), jdk21.resolve("bin/java"));
        List<String> got = run(jdk21, Map.of("JAVA_HOME", "", "PATH", emptyPath + ":" + bin + ":/usr/bin:/bin"),
                launcher.toString(), "analyze");
        // Through the link to the runtime's release file: Java 21.
        assertTrue(got.contains("-XX:+AutoCreateSharedArchive"), got.toString());
        assertTrue(Files.readString(checkout.resolve("target/migsafe.jar.stamp")).contains(bin.resolve("java").toString()));
    }

    @Test
    void aRebuiltJarDropsTheArchivesOfTheOldOne() throws Exception {
        run(jdk17, "analyze");
        String oldKey = key();
        assertEquals(1, archives().size());
        Path stamp = checkout.resolve("target/migsafe.jar.stamp");
        age(stamp, 30);
        Files.writeString(jar, "jar two, longer");
        age(jar, 10);
        run(jdk17, "--version");
        assertNotEquals(oldKey, key());
        assertEquals(List.of(), archives());
    }

    @Test
    void aStampWrittenInTheSecondTheJarWasBuiltBelongsToIt() throws Exception {
        run(jdk17, "analyze");
        FileTime built = FileTime.from(Instant.now().minusSeconds(5));
        Files.setLastModifiedTime(jar, built);
        Files.setLastModifiedTime(checkout.resolve("target/migsafe.jar.stamp"), built);
        List<String> again = run(jdk17, "analyze");
        assertTrue(again.contains("-XX:SharedArchiveFile=" + cache.resolve("cds-" + key() + "-17.0.9_9.jsa")), again.toString());
        assertEquals(1, archives().size());
    }

    @Test
    void theSameJarInTwoCheckoutsHasTwoArchives() throws Exception {
        // An archive records the jar's path: the JVM would refuse one made for the other checkout.
        run(jdk17, "analyze");
        Path other = dir.resolve("other/bin/migsafe");
        Files.createDirectories(other.getParent());
        Files.copy(launcher, other);
        Files.createDirectories(dir.resolve("other/target"));
        Files.copy(jar, dir.resolve("other/target/migsafe.jar"));
        age(dir.resolve("other/target/migsafe.jar"), 60);
        run(jdk17, Map.of(), other.toString(), "analyze");
        assertEquals(2, archives().size(), archives().toString());
        List<String> again = run(jdk17, "analyze");
        assertTrue(again.contains("-XX:SharedArchiveFile=" + cache.resolve("cds-" + key() + "-17.0.9_9.jsa")), again.toString());
    }

    @Test
    void theKeyAnEarlierLauncherLeftHasItsArchivesRemoved() throws Exception {
        Files.writeString(checkout.resolve("target/migsafe.jar.cksum"), "111-222\n");
        Files.createDirectories(cache);
        Files.writeString(cache.resolve("cds-111-222-17.0.9_9.jsa"), "old");
        run(jdk17, "analyze");
        assertFalse(Files.exists(checkout.resolve("target/migsafe.jar.cksum")));
        assertEquals(List.of("cds-" + key() + "-17.0.9_9.jsa"), archives());
        assertNotEquals("111-222", key());
    }

    @Test
    void anotherJavaKeepsTheArchivesOfTheFirst() throws Exception {
        run(jdk17, "analyze");
        run(jdk21, "analyze");
        List<String> again = run(jdk17, "analyze");
        assertTrue(again.contains("-XX:SharedArchiveFile=" + cache.resolve("cds-" + key() + "-17.0.9_9.jsa")), again.toString());
        assertFalse(again.stream().anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit")), again.toString());
    }

    @Test
    void cdsOffAndJavaOptsAreHonoured() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("MIGSAFE_CDS", "off");
        env.put("MIGSAFE_JAVA_OPTS", "-XX:+UseParallelGC -Xmx1g");
        List<String> got = run(jdk17, env, launcher.toString(), "analyze", "--all");
        assertEquals(List.of("-Xlog:disable", "-Xlog:all=error:stderr", "-XX:+UseParallelGC", "-Xmx1g",
                "-Dmigsafe.launcher=" + launcher, "-jar", jar.toString(), "analyze", "--all"), got);
        assertEquals(List.of(), archives());
    }

    @Test
    void aSymlinkedOrRelativeLauncherFindsItsCheckout() throws Exception {
        Path link = dir.resolve("elsewhere/migsafe");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, launcher);
        String real = launcher.toRealPath().toString();
        List<String> linked = run(jdk17, Map.of(), link.toString(), "--version");
        assertTrue(linked.contains("-Dmigsafe.launcher=" + real), linked.toString());
        assertTrue(linked.contains(jar.toRealPath().toString()), linked.toString());

        List<String> relative = run(jdk17, Map.of(), "bin/migsafe", "--version");
        assertTrue(relative.contains("-Dmigsafe.launcher=" + checkout.toRealPath().resolve("bin/migsafe")), relative.toString());
        List<String> dotted = run(jdk17, Map.of(), "./bin/../bin/migsafe", "--version");
        assertTrue(dotted.contains("-Dmigsafe.launcher=" + checkout.toRealPath().resolve("bin/migsafe")), dotted.toString());
    }
}
