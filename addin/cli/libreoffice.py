"""`planreport libreoffice install|uninstall|diagnose|run`: the Calc extension's install and its buttons' worker."""
from __future__ import annotations


def register(sub) -> None:
    parser = sub.add_parser("libreoffice", help="LibreOffice 扩展：安装、卸载、诊断",
                            description="安装、卸载或诊断 LibreOffice Calc 的“计划执行报告”扩展。")
    actions = parser.add_subparsers(dest="libreoffice_command", metavar="操作")
    install = actions.add_parser("install", help="用 unopkg 为当前用户安装扩展，并写入按钮使用的 Python")
    install.add_argument("--oxt", help="要安装的 PlanReport.oxt（默认由已安装的程序包现场构建）")
    _add_target_options(install)
    install.set_defaults(func=_install)
    uninstall = actions.add_parser("uninstall", help="卸载扩展")
    _add_target_options(uninstall)
    uninstall.set_defaults(func=_uninstall)
    diagnose = actions.add_parser("diagnose", help="检查 LibreOffice 版本、Python 脚本支持和按钮使用的 Python")
    diagnose.set_defaults(func=_diagnose)
    # What the buttons' macro calls on its stored copy of the open document; prints one JSON object.
    run = actions.add_parser("run", help="（供扩展的按钮调用）核算文档副本，输出 JSON")
    run.add_argument("mode", choices=["report", "check"], help="report：核算并生成报告；check：只核算")
    run.add_argument("copy", help="扩展存下的文档副本（.xlsx），“核算结果”写入其中")
    run.add_argument("--out", metavar="DIR", help="报告文件夹（report 必需）")
    run.add_argument("--config", metavar="FILE", help="设置文件（工作簿旁的 planreport.toml）")
    run.add_argument("--name", metavar="名称", help="结果和消息中工作簿的名称（用户的文档，而不是副本）")
    run.set_defaults(func=_run)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def _add_target_options(parser) -> None:
    parser.add_argument("--profile", metavar="DIR", help="LibreOffice 用户配置文件夹（默认为该用户的常用配置）")
    parser.add_argument("--user", metavar="用户名", help="由 root 为该用户安装（unopkg 不能以 root 身份运行）")


def _install(args) -> int:
    from addin.office.libreoffice.install import install

    for line in install(args.oxt, profile=args.profile, user=args.user):
        print(line)
    return 0


def _uninstall(args) -> int:
    from addin.office.libreoffice.install import uninstall

    for line in uninstall(profile=args.profile, user=args.user):
        print(line)
    return 0


def _diagnose(args) -> int:
    from addin.office.excel_install import format_checks
    from addin.office.libreoffice.install import diagnose

    checks = diagnose()
    print(format_checks(checks))
    return 0 if all(c.ok for c in checks) else 1


def _run(args) -> int:
    import sys

    from addin.cli.check import write_json
    from addin.cli.display import summary_line
    from addin.office.libreoffice.oncopy import outcome_json, run_on_copy

    outcome = run_on_copy(args.copy, args.mode, out_dir=args.out, config=args.config, name=args.name)
    write_json(outcome_json(outcome, summary_line(outcome.result)), sys.stdout.buffer)
    sys.stdout.flush()
    return 1 if outcome.result.has_errors else 0
