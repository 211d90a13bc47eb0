#!/usr/bin/env python3
"""A stand-in for the migsafe command in test_migsafe_action.py: records its arguments and prints
fixed reports instead of analysing anything.

FAKE_MIGSAFE_LOG       a file that gets one JSON line (the arguments) per call
FAKE_MIGSAFE_REPORT    findings (default: 1 error, 1 warning), clean (1 info), or huge (findings, and a
                       markdown report longer than a comment can hold)
FAKE_MIGSAFE_EXIT      the exit code of the --format github call (default: 1 for findings, else 0);
                       2 also prints a one-sentence error on standard error
"""

import json
import os
import sys

MARKDOWN = {
    "findings": "<!-- migsafe analyze -->\n## migsafe: 1 error in 1 migration\n\n"
                "- **error C102** (line 12, operation 0): RemoveField orders.Order.note drops column "
                "orders\\_order.note\n",
    "clean": "<!-- migsafe analyze -->\n## migsafe: no errors or warnings in 1 migration\n\n"
             "- **info R304** (line 12, operation 0): RemoveField orders.Order.note loses data on reverse\n",
}


def main(args):
    with open(os.environ["FAKE_MIGSAFE_LOG"], "a", encoding="utf-8") as f:
        f.write(json.dumps(args) + "\n")
    mode = os.environ.get("FAKE_MIGSAFE_REPORT", "findings")
    fmt = args[args.index("--format") + 1]
    output = args[args.index("--output") + 1] if "--output" in args else None
    if fmt == "github":
        code = int(os.environ.get("FAKE_MIGSAFE_EXIT", "0" if mode == "clean" else "1"))
        if code == 2:
            sys.stderr.write("migsafe: the clone is shallow: fetch full history (actions/checkout: "
                             "fetch-depth: 0) or pass --base with a commit that is present\n")
            return 2
        if mode != "clean":
            print("::error file=shop/orders/migrations/0002_x.py,line=12,title=C102 remove-field::drops note")
        print("migsafe: 1 migration changed")
        return code
    if fmt == "sarif":
        levels = ["note"] if mode == "clean" else ["error", "warning", "note"]
        results = [{"ruleId": "X", "level": lv} for lv in levels]
        results.append({"ruleId": "C199", "level": "warning", "suppressions": [{"kind": "inSource"}]})
        document = json.dumps({"version": "2.1.0", "runs": [{"results": results}]})
    elif fmt == "markdown":
        document = MARKDOWN["clean" if mode == "clean" else "findings"]
        if mode == "huge":
            document += "".join("- **warning L201** (line %d): a long line of findings %s\n" % (i, "x" * 80)
                                for i in range(1000))
    else:
        document = "unexpected format " + fmt + "\n"
    if output:
        with open(output, "w", encoding="utf-8") as f:
            f.write(document)
    else:
        sys.stdout.write(document)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
