"""Drives a running soffice over its 127.0.0.1 UNO socket, the way a user's clicks would.

Run with Debian's /usr/bin/python3 (it has `uno` once python3-uno is installed; the tests'
virtualenv does not): ``python3 uno_driver.py PLAN.json`` prints one JSON list, a result per
step. Steps (dicts with "op"):

  open {path | factory}          load a file, or a new "scalc"/"swriter" document
  set_value {sheet, cell, value}  type a number into a cell (the document stays unsaved)
  add_sheet {name, rows}         a sheet of the user's own, its texts from A1 on
  button {title}                 dispatch the installed toolbar button's own command URL
                                 to the document's frame (what a click does)
  snapshot                       sheet names, the cells of 核算结果 and 核算结果（PlanReport）,
                                 named ranges (content and NamedRangeFlag bits), modified flag
  tooltip {title}                the command's label and tooltip as Calc's UI shows them
  menu                           the installed menu's title and its items' titles and URLs
  close                          close the document without saving
"""
import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

TOOLBAR = "/org.openoffice.Office.Addons/AddonUI/OfficeToolBar/org.planreport.toolbar"
MENU = "/org.openoffice.Office.Addons/AddonUI/OfficeMenuBar/org.planreport.menu"
RESULTS = "核算结果"
RESULTS_ALT = "核算结果（PlanReport）"


def props(**values):
    return tuple(PropertyValue(Name=name, Value=value) for name, value in values.items())


def connect(port, deadline):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            return resolver.resolve("uno:socket,host=127.0.0.1,port=%d;urp;StarOffice.ComponentContext" % port)
        except Exception:
            if time.time() > deadline:
                raise
            time.sleep(0.2)


def config_node(ctx, path):
    provider = ctx.ServiceManager.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
    return provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationAccess", props(nodepath=path))


def button_url(ctx, title):
    bar = config_node(ctx, TOOLBAR)
    for name in bar.getElementNames():
        item = bar.getByName(name)
        if item.getByName("Title") == title:
            return item.getByName("URL")
    raise KeyError("no toolbar button titled %s" % title)


def used_rows(sheet):
    cursor = sheet.createCursor()
    cursor.gotoEndOfUsedArea(False)
    end = cursor.getRangeAddress()
    return [list(row) for row in sheet.getCellRangeByPosition(0, 0, end.EndColumn, end.EndRow).getDataArray()]


def snapshot(doc):
    if not doc.supportsService("com.sun.star.sheet.SpreadsheetDocument"):
        return {"sheets": [], "modified": doc.isModified()}
    sheets = doc.getSheets()
    ranges = doc.NamedRanges
    info = {"sheets": list(sheets.getElementNames()), "modified": doc.isModified(),
            "names": {n: ranges.getByName(n).getContent() for n in ranges.getElementNames()},
            "name_flags": {n: ranges.getByName(n).getType() for n in ranges.getElementNames()}}
    try:  # what this LibreOffice offers to hide a named range (7.4: nothing)
        info["hidden_flag"] = uno.getConstantByName("com.sun.star.sheet.NamedRangeFlag.HIDDEN")
    except Exception:
        info["hidden_flag"] = 0
    for key, name in (("results", RESULTS), ("alt_results", RESULTS_ALT)):
        if sheets.hasByName(name):
            info[key] = used_rows(sheets.getByName(name))
    return info


def main():
    plan = json.load(open(sys.argv[1], encoding="utf-8"))
    ctx = connect(plan["port"], time.time() + plan.get("connect_seconds", 30))
    smgr = ctx.ServiceManager
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc, results = None, []
    for step in plan["steps"]:
        op = step["op"]
        out = None
        if op == "open":
            url = uno.systemPathToFileUrl(step["path"]) if "path" in step else "private:factory/" + step["factory"]
            doc = desktop.loadComponentFromURL(url, "_blank", 0, props())
        elif op == "set_value":
            doc.getSheets().getByName(step["sheet"]).getCellRangeByName(step["cell"]).setValue(step["value"])
        elif op == "add_sheet":
            sheets = doc.getSheets()
            sheets.insertNewByName(step["name"], sheets.getCount())
            sheet = sheets.getByName(step["name"])
            for r, row in enumerate(step["rows"]):
                for c, text in enumerate(row):
                    sheet.getCellByPosition(c, r).setString(text)
        elif op == "button":
            url = button_url(ctx, step["title"])
            helper = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
            started = time.time()
            # DispatchHelper waits for the script's notification: the macro has finished on return.
            helper.executeDispatch(doc.getCurrentController().getFrame(), url, "", 0, ())
            out = {"url": url, "seconds": time.time() - started}
        elif op == "snapshot":
            out = snapshot(doc)
        elif op == "tooltip":
            url = button_url(ctx, step["title"])
            commands = smgr.createInstanceWithContext("com.sun.star.frame.UICommandDescription", ctx)
            found = commands.getByName("com.sun.star.sheet.SpreadsheetDocument")
            out = {p.Name: p.Value for p in found.getByName(url) if p.Name in ("Label", "TooltipLabel")} \
                if found.hasByName(url) else {}
        elif op == "menu":
            menu = config_node(ctx, MENU)
            items = menu.getByName("Submenu")
            out = {"title": menu.getByName("Title"),
                   "items": [[items.getByName(n).getByName("Title"), items.getByName(n).getByName("URL")]
                             for n in sorted(items.getElementNames())]}  # LibreOffice orders items by node name
        elif op == "close":
            doc.close(True)
            doc = None
        results.append(out)
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
