// Command briefbot is the chat bot that carries major-matter requests and reports to
// the party committee and the political-legal commission, and the tool that looks after
// its ledger.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	_ "time/tzdata" // the bot works in Asia/Shanghai wherever it runs

	"github.com/briefbot/briefbot"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "briefbot:", message(err))
		}
		os.Exit(exitCode(err))
	}
}

// message is the sentence for the terminal: the user-facing text for coded errors, the
// whole chain for internal ones (an operator reads this, not a department head).
func message(err error) string {
	if err == nil {
		return ""
	}
	var e *briefbot.Error
	if errors.As(err, &e) && e.Code != briefbot.EINTERNAL {
		zh, en := e.Msg.In(briefbot.LangZH), e.Msg.In(briefbot.LangEN)
		if strings.Contains(zh, "\n") { // a list of problems (config): one block per language
			return "\n" + zh + "\n\n" + en
		}
		return zh + " / " + en
	}
	return err.Error()
}

func exitCode(err error) int {
	switch {
	case errors.Is(err, flag.ErrHelp), errors.Is(err, errUsage):
		return 2
	case errors.Is(err, errProblems):
		return 3
	}
	return 1
}

var (
	errUsage    = errors.New("usage")
	errProblems = errors.New("problems found")
)

const usage = `briefbot — 重大事项请示报告机器人 / major-matter requests and reports bot

Usage:
  briefbot --version            the module version and commit
  briefbot health               ask a running bot whether it is alive (exit 0) or not
  briefbot [serve]              run the bot (with no Slack tokens: the local console)
  briefbot console              chat with the bot locally on this terminal (or a pipe)
  briefbot config example       print the built-in example org config
  briefbot config check FILE    validate an org config
  briefbot calendar import FILE [--config CONFIG] [--yes]
                                put a year's holiday notice (国务院办公厅关于…部分节假日安排的通知),
                                the text as published (FILE, or - for stdin), into the config's
                                calendar: shown for checking, written after 是/y (or --yes), the
                                previous file kept as CONFIG.bak. Import each year's notice when it
                                is published (around November of the year before).
  briefbot list [--status S] [--kind K] [--dept D] [--committee C] [--awaiting] [--overdue] [--find WORDS] [--page N]
  briefbot show NUMBER          show one matter (e.g. QS-2026-0017)
  briefbot check                check the data file's consistency
  briefbot backup FILE          write a hot, checked copy of the data file to FILE
  briefbot restore BACKUP       put a checked backup in place of the data file (not while it is in use)
  briefbot compact              rewrite the data file without its free pages (not while it is in use)
  briefbot export json|csv [FILE]                 the whole ledger as JSON (with the audit log) or the ledger as CSV
  briefbot export briefings [--committee C] [--from D] [--to D] [--format md|html] DIR   stored briefings again
  briefbot export archive [--from D] [--to D] DIR   归档: a folder per matter (record, instructions, feedback, audit) and an index
  briefbot stats [--period 2026-11|2026] [--committee C] [--format text|md|html] [FILE]   月报/年报 with charts
  briefbot audit verify         walk the hash-chained audit log; report the first broken link
  briefbot audit export [FILE]  write the audit log as JSON lines (to FILE or stdout)

Restricted matters (限定知悉范围) are withheld from list, show, export and audit export,
with the audit entries about them, unless --include-restricted is given: each matter
so read is recorded in the audit log first, with the system user and the command.

Common flags (or environment):
  --data PATH     BRIEFBOT_DATA     the ledger file (default ./data/briefbot.db)
  --config FILE   BRIEFBOT_CONFIG   the org config (default: the built-in example organisation)
  --listen ADDR   BRIEFBOT_LISTEN   the Slack HTTP endpoint's address (default :8080)
  BRIEFBOT_BACKUP_DIR               where a running bot writes hot backups (default: backups/ beside the data file)
`

// run is the whole program: main only wires it to the process.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	env := &environment{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) > 0 && (args[0] == "--version" || args[0] == "-version") {
		fmt.Fprintln(stdout, version())
		return nil
	}
	if len(args) == 0 || (len(args[0]) > 0 && args[0][0] == '-') {
		return env.serve(ctx, args)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return env.serve(ctx, rest)
	case "console":
		return env.console(ctx, rest)
	case "config":
		return env.configCmd(ctx, rest)
	case "calendar":
		return env.calendar(ctx, rest)
	case "list":
		return env.list(ctx, rest)
	case "show":
		return env.show(ctx, rest)
	case "check":
		return env.check(ctx, rest)
	case "backup":
		return env.backup(ctx, rest)
	case "audit":
		return env.audit(ctx, rest)
	case "restore":
		return env.restore(ctx, rest)
	case "migrate":
		return env.migrate(ctx, rest)
	case "compact":
		return env.compact(ctx, rest)
	case "export":
		return env.export(ctx, rest)
	case "stats":
		return env.stats(ctx, rest)
	case "version":
		fmt.Fprintln(stdout, version())
		return nil
	case "health":
		return env.health(ctx, rest)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "unknown command %q\n\n%s", cmd, usage)
	return errUsage
}

// environment is what every subcommand gets from the process.
type environment struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// engine is the storage engine the last parsed flags chose: "bbolt" (the file
	// --data) or "etcd" (the cluster of BRIEFBOT_ETCD_ENDPOINTS).
	engine string
}

// flagSet is a subcommand's flags, read wherever they stand among its arguments
// (`briefbot restore BACKUP --data F` as well as `briefbot restore --data F BACKUP`),
// as people type them. "--" ends the flags.
type flagSet struct {
	*flag.FlagSet
	args []string
}

// Parse reads the flags anywhere in args; the rest, in order, are the arguments.
func (f *flagSet) Parse(args []string) error {
	f.args = nil
	for {
		if err := f.FlagSet.Parse(args); err != nil {
			return err
		}
		rest := f.FlagSet.Args()
		if len(rest) == 0 {
			return nil
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" { // everything after -- is an argument
			f.args = append(f.args, rest...)
			return nil
		}
		f.args = append(f.args, rest[0])
		args = rest[1:]
	}
}

// Args are the arguments left after the flags.
func (f *flagSet) Args() []string { return f.args }

// NArg is how many arguments there are.
func (f *flagSet) NArg() int { return len(f.args) }

// Arg is the i-th argument, or "".
func (f *flagSet) Arg(i int) string {
	if i < 0 || i >= len(f.args) {
		return ""
	}
	return f.args[i]
}

// flags returns a flag set for a subcommand with the common flags bound.
func (e *environment) flags(name string, data *string) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet("briefbot "+name, flag.ContinueOnError)}
	fs.SetOutput(e.stderr)
	def := e.getenv("BRIEFBOT_DATA")
	if def == "" {
		def = "./data/briefbot.db"
	}
	fs.StringVar(data, "data", def, "the ledger file (env BRIEFBOT_DATA)")
	engine := e.getenv("BRIEFBOT_STORE")
	if engine == "" {
		engine = "bbolt"
	}
	fs.StringVar(&e.engine, "store", engine, "bbolt (the file --data) or etcd (the cluster of BRIEFBOT_ETCD_ENDPOINTS) (env BRIEFBOT_STORE)")
	return fs
}

// commit is stamped in by the build (.ci/build: -ldflags -X main.commit=...).
var commit = ""

// version is the module version and the commit the binary was built from.
func version() string {
	v, c := "(devel)", commit
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && c == "" {
				c = s.Value
			}
		}
	}
	if c == "" {
		c = "unknown"
	}
	return fmt.Sprintf("briefbot %s (commit %s, %s)", v, c, runtime.Version())
}
