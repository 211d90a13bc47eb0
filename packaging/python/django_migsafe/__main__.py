"""`python -m django_migsafe ARGS` is the same as `migsafe ARGS`."""
from django_migsafe.launcher import main

main()
