package dev.migsafe.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * JGit's view of the system during one request: the client's environment (GIT_DIR,
 * GIT_INDEX_FILE, ... are read through {@link #getenv}), everything else from the reader that
 * was installed before (whatever it is; its cached user and system configuration included,
 * which is right because a request whose HOME, XDG_CONFIG_HOME or GIT_CONFIG* differ from the
 * process's own is refused).
 */
final class RequestSystemReader extends SystemReader.Delegate {

    private final SystemReader delegate;
    private final Map<String, String> env;

    RequestSystemReader(SystemReader delegate, Map<String, String> env) {
        super(delegate);
        this.delegate = delegate;
        this.env = env;
    }

    @Override
    public String getenv(String name) {
        return env.get(name);
    }

    @Override
    public StoredConfig getUserConfig() throws ConfigInvalidException, IOException {
        return delegate.getUserConfig();
    }

    @Override
    public StoredConfig getSystemConfig() throws ConfigInvalidException, IOException {
        return delegate.getSystemConfig();
    }

    @Override
    public StoredConfig getJGitConfig() throws ConfigInvalidException, IOException {
        return delegate.getJGitConfig();
    }

    @Override
    public Path getXdgConfigDirectory(FS fs) {
        return delegate.getXdgConfigDirectory(fs);
    }

    @Override
    public Path getXdgCacheDirectory(FS fs) {
        return delegate.getXdgCacheDirectory(fs);
    }

    @Override
    public boolean isWindows() {
        return delegate.isWindows();
    }

    @Override
    public boolean isMacOS() {
        return delegate.isMacOS();
    }

    @Override
    public boolean isLinux() {
        return delegate.isLinux();
    }
}
