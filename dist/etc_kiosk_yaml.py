#!/usr/bin/env python3
"""etc_kiosk_yaml: config/kiosk.yaml as the installed example
/etc/tellus/kiosk.yaml. The source file names the demo flows relative to
its own folder (config/flows/...); installed, they live under
DATADIR/tellus/config/flows, so those paths become absolute (and the
"You said, we did" example's, DATADIR/tellus/config/you-said-we-did.yaml).
Usage: etc_kiosk_yaml.py IN OUT DATADIR BINDIR SYSCONFDIR"""
import sys

src, out, datadir, bindir, sysconfdir = sys.argv[1:6]
text = open(src, encoding="utf-8").read()
text = text.replace("  - flows/", f"  - {datadir}/tellus/config/flows/")
text = text.replace("# you_said_we_did: you-said-we-did.yaml",
                    f"# you_said_we_did: {datadir}/tellus/config/you-said-we-did.yaml")
text = text.replace("build/tellus --config config/kiosk.yaml",
                    f"{bindir}/tellus --config {sysconfdir}/tellus/kiosk.yaml")
if f"{datadir}/tellus/config/flows/" not in text:
    sys.exit("etc_kiosk_yaml: config/kiosk.yaml no longer lists '  - flows/...'")
open(out, "w", encoding="utf-8").write(text)
