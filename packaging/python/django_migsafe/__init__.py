"""migsafe: static safety analysis of Django migrations, read straight from git.

This package carries migsafe's jar, a Java runtime made for it and a class-data archive; the
`migsafe` console script (launcher.main) starts that runtime. Nothing here needs a JDK, Maven or
the network.
"""
