"""`seloste` command: everything the wizard does, for accounting firms and web agencies.

Exit codes: 0 success; 1 `check` found errors; 2 bad input (the draft or the arguments) or an
output file that cannot be written, with one line on stderr. On bad input nothing is written:
output files are written to a temporary file beside the target and renamed into place only when
complete, with the mode a plain write would give (an existing file's, else 0666 less the umask).
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from seloste.draft_file import parse_draft
from seloste.examples import NAMES, example_json
from seloste.model import Notice, notice_json_schema
from seloste.render import Format, render
from seloste.vocab import Lang

#: PDF is not a `Format`: it is made from the page HTML (seloste.render.pdf) and loads WeasyPrint.
PDF = "pdf"


class OutputError(Exception):
    """The output file could not be written; the message is one line for stderr."""


def _new_file_mode(path: Path) -> int:
    """The mode a plain ``open(path, "w")`` would give: an existing file's own mode, else
    0666 less the process's umask (``mkstemp`` alone would make every file 0600, which a web
    server cannot read when the notice is rendered into its web root)."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: Path, data: bytes) -> None:
    """Write whole or not at all: a crash or a full disk leaves the old file as it was.

    Raises `OutputError` (one line: the path and the reason) when the file cannot be written:
    a missing folder, a directory in the way, a read-only or full disk.
    """
    path = path.resolve()
    if path.is_dir():
        raise OutputError(f"{path}: {os.strerror(errno.EISDIR)}")
    mode = _new_file_mode(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _emit(data: bytes, output: str | None) -> None:
    if output and output != "-":
        write_atomic(Path(output), data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def load_notice(path: str, lang: Lang) -> Notice | None:
    """The draft, or None after printing one line per problem to stderr."""
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        print(f"{path}: {exc.strerror}", file=sys.stderr)
        return None
    result = parse_draft(raw, lang)
    if result.notice is None:
        for err in result.errors:
            print(f"{path}: {err.line()}", file=sys.stderr)
        return None
    return result.notice


def _published(notice: Notice, number: int | None, path: str) -> Notice | None:
    """The draft itself, or its `number`th published version (1 = the first)."""
    if number is None:
        return notice
    from seloste.versions import SnapshotError, snapshot_notice

    if not 1 <= number <= len(notice.versions):
        print(f"{path}: --version {number}: the draft has {len(notice.versions)} published "
              "versions", file=sys.stderr)
        return None
    try:
        return snapshot_notice(notice.versions[number - 1])
    except SnapshotError as exc:
        print(f"{path}: --version {number}: {exc}", file=sys.stderr)
        return None


def lang_list(value: str) -> list[Lang]:
    """``fi`` or ``fi,sv``: the notice language(s); several give one file with every version."""
    try:
        langs = [Lang(part.strip()) for part in value.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r}: languages are {', '.join(lang.value for lang in Lang)}") from None
    if len(set(langs)) != len(langs):
        raise argparse.ArgumentTypeError(f"{value!r}: a language is given twice")
    return langs


#: What two or more versions can be combined into (Markdown has no way to mark a language).
BILINGUAL_FORMATS = (Format.html, Format.page, Format.docx)


def cmd_render(args: argparse.Namespace) -> int:
    langs: list[Lang] = args.lang or []
    fmt = args.format
    if len(langs) > 1 and fmt not in BILINGUAL_FORMATS:
        print(f"--format {fmt}: several languages in one file only as "
              + ", ".join(f.value for f in BILINGUAL_FORMATS), file=sys.stderr)
        return 2
    notice = load_notice(args.draft, langs[0] if langs else Lang.fi)
    if notice is not None:
        notice = _published(notice, args.version, args.draft)
    if notice is None:
        return 2
    if len(langs) > 1:
        from seloste.render import bilingual

        data = {
            Format.html: lambda: bilingual.render_bilingual_fragment(notice, langs).encode(),
            Format.page: lambda: bilingual.render_bilingual_page(notice, langs).encode(),
            Format.docx: lambda: bilingual.render_bilingual_docx(notice, langs),
        }[Format(fmt)]()
        _emit(data, args.output)
        return 0
    lang = langs[0] if langs else notice.language
    if fmt == PDF:
        from seloste.render.pdf import render_pdf

        _emit(render_pdf(notice, lang), args.output)
        return 0
    _emit(render(notice, Format(fmt), lang), args.output)
    return 0


def cmd_record(args: argparse.Namespace) -> int:
    from seloste.record.docx import render_record_docx
    from seloste.record.html import render_record_html
    from seloste.record.xlsx import render_record_xlsx

    ui = Lang(args.lang) if args.lang else Lang.fi
    notice = load_notice(args.draft, ui)
    if notice is None:
        return 2
    lang = args.lang or notice.language
    if args.format == "xlsx":
        data = render_record_xlsx(notice, lang)
    elif args.format == "docx":
        data = render_record_docx(notice, lang)
    elif args.format == "html":
        data = render_record_html(notice, lang).encode("utf-8")
    else:
        from seloste.render.pdf import pdf_from_html

        data = pdf_from_html(render_record_html(notice, lang), notice.updated or notice.created)
    _emit(data, args.output)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from seloste.changes import describe_changes, format_changes

    ui = Lang(args.lang) if args.lang else Lang.fi
    old = load_notice(args.old, ui)
    new = load_notice(args.new, ui)
    if old is None or new is None:
        return 2
    lang = args.lang or new.language
    _emit(format_changes(describe_changes(old, new, lang), lang).encode("utf-8"), args.output)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    _emit((json.dumps(notice_json_schema(), indent=2, ensure_ascii=False) + "\n").encode(),
          args.output)
    return 0


def cmd_example(args: argparse.Namespace) -> int:
    _emit(example_json(args.name).encode("utf-8"), args.output)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from seloste.checks import format_findings, has_errors, run_checks

    lang = Lang(args.lang)
    notice = load_notice(args.draft, lang)
    if notice is None:
        return 2
    findings = run_checks(notice, args.notice_lang or [])
    _emit(format_findings(findings, lang, args.format).encode("utf-8"), args.output)
    return 1 if has_errors(findings) else 0


def cmd_lint(args: argparse.Namespace) -> int:
    """Read and check the file in a limited worker (`seloste.isolation`): an old notice is
    untrusted input, and a hostile one must cost a bounded amount of memory and time here too."""
    from seloste.i18n import Texts
    from seloste.isolation import WorkerFailed, run_isolated
    from seloste.lint import FileProblem, format_lint, lint_file

    lang = Lang(args.lang)
    try:
        report = run_isolated(lint_file, Path(args.file))
    except FileProblem as exc:
        print(f"{args.file}: {exc.message(lang)}", file=sys.stderr)
        return 2
    except WorkerFailed:
        print(f"{args.file}: {Texts('seloste.findings', lang)('file_error.timeout')}",
              file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 2
    _emit(format_lint(report, lang, args.format).encode("utf-8"), args.output)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from seloste.render.stats import format_stats, notice_stats

    notice = load_notice(args.draft, Lang(args.lang) if args.lang else Lang.fi)
    if notice is None:
        return 2
    stats = notice_stats(notice, args.lang or notice.language)
    if args.format == "json":
        out = json.dumps(stats.as_dict(), indent=2, ensure_ascii=False) + "\n"
    else:
        out = format_stats(stats)
    _emit(out.encode("utf-8"), args.output)
    return 0


def cmd_catalogue(args: argparse.Namespace) -> int:
    import datetime as dt

    from seloste.catalogue import freshness_report, load_catalogue

    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    _emit(freshness_report(load_catalogue(), today).encode("utf-8"), args.output)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seloste",
        description="Write a Finnish small company's GDPR privacy notice (tietosuojaseloste).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    langs = [lang.value for lang in Lang]

    p = sub.add_parser("render", help="render a draft JSON file as a notice")
    p.add_argument("draft", help="draft JSON file ('-' for standard input)")
    p.add_argument("--format", "-f", choices=[f.value for f in Format] + [PDF], default="html",
                   help="html (fragment to paste), page (standalone HTML), md, docx, pdf")
    p.add_argument("--lang", "-l", type=lang_list,
                   help="notice language (default: the draft's); several, e.g. fi,sv, give one "
                        "html/page/docx file with every version one after the other")
    p.add_argument("--version", "-V", type=int, metavar="N",
                   help="render the Nth published version (1 = the first) instead of the draft")
    p.add_argument("--output", "-o", help="output file (default: standard output)")
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("record", help="the record of processing activities (GDPR Art. 30)")
    p.add_argument("draft", help="draft JSON file ('-' for standard input)")
    p.add_argument("--format", "-f", choices=["xlsx", "docx", "pdf", "html"], default="xlsx")
    p.add_argument("--lang", "-l", choices=langs, help="language (default: the draft's)")
    p.add_argument("--output", "-o", help="output file (default: standard output)")
    p.set_defaults(func=cmd_record)

    p = sub.add_parser("diff", help="what changed between two drafts, in plain words")
    p.add_argument("old", help="the earlier draft JSON file")
    p.add_argument("new", help="the later draft JSON file")
    p.add_argument("--lang", "-l", choices=langs, help="language (default: the new draft's)")
    p.add_argument("--output", "-o")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("schema", help="print the draft JSON Schema")
    p.add_argument("--output", "-o")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("example", help="print a complete example draft")
    p.add_argument("name", choices=NAMES)
    p.add_argument("--output", "-o")
    p.set_defaults(func=cmd_example)

    p = sub.add_parser("check", help="check a draft against the GDPR and Finnish law")
    p.add_argument("draft")
    p.add_argument("--format", "-f", choices=["text", "json"], default="text")
    p.add_argument("--lang", "-l", choices=langs, default="fi", help="language of the messages")
    p.add_argument("--notice-lang", "-n", type=lang_list,
                   help="notice language(s) to be rendered besides the draft's publication "
                        "languages, e.g. sv: every answer not written in it is a finding")
    p.add_argument("--output", "-o")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("stats", help="words, repeated sentences and reading order of a notice")
    p.add_argument("draft")
    p.add_argument("--lang", "-l", choices=langs, help="notice language (default: the draft's)")
    p.add_argument("--format", "-f", choices=["text", "json"], default="text")
    p.add_argument("--output", "-o")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("lint", help="check an existing notice (.txt, .docx, .html)")
    p.add_argument("file")
    p.add_argument("--format", "-f", choices=["text", "json"], default="text")
    p.add_argument("--lang", "-l", choices=langs, default="fi")
    p.add_argument("--output", "-o")
    p.set_defaults(func=cmd_lint)

    p = sub.add_parser("catalogue", help="list catalogue facts by age of source, and to verify")
    p.add_argument("--today", help="date to count ages from (YYYY-MM-DD; default: today)")
    p.add_argument("--output", "-o")
    p.set_defaults(func=cmd_catalogue)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except BrokenPipeError:
        return 0
    except OutputError as exc:
        print(f"seloste: {exc}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
