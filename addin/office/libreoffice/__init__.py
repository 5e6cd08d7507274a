"""The LibreOffice Calc extension (dist/PlanReport.oxt).

extension/   the extension's own files, shipped in the wheel: description.xml,
             META-INF/manifest.xml, Addons.xcu (menu + toolbar), the Calc command labels,
             and Scripts/python/planreport_buttons.py, the macro the buttons run
oxt.py       zips extension/ into PlanReport.oxt (same bytes every run)
oncopy.py    what the macro's subprocess runs on the stored copy of the open document
install.py   unopkg add/remove for the current user, the interpreter setting, diagnose

Nothing here imports uno: the macro runs in LibreOffice's Python, everything else in PlanReport's.
"""

OXT_NAME = "PlanReport.oxt"  # the macro URLs in Addons.xcu name this file: never rename one alone
EXTENSION_ID = "org.planreport.calc"
