package bot_test

import (
	"bytes"
	"context"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
)

// buggy is the real ledger with one bug: every read or write of a matter panics, as a
// nil dereference deep in a handler would.
type buggy struct{ bot.Ledger }

func (buggy) List(context.Context, briefbot.Filter) (briefbot.Page, error) { panic("bug: list") }
func (buggy) Search(context.Context, string, briefbot.Filter) (briefbot.Page, error) {
	panic("bug: search")
}
func (buggy) Matter(context.Context, briefbot.Ref) (*briefbot.Matter, error) {
	panic("bug: matter")
}
func (buggy) DispatchByTS(context.Context, string) (*briefbot.Dispatch, error) {
	panic("bug: dispatch")
}
func (buggy) Submit(context.Context, *briefbot.Matter, []*briefbot.Dispatch, briefbot.Delivery) (briefbot.Result, error) {
	panic("bug: submit")
}

// TestPanic_EveryEntryPointAnswersWithAnIncident: a panic while handling one input is
// recovered at the entry point, logged once with an incident id and its stack, and
// answered with the apology quoting that id; the bot keeps serving. The log line never
// carries the input.
func TestPanic_EveryEntryPointAnswersWithAnIncident(t *testing.T) {
	f := newFixture(t)
	var logs bytes.Buffer
	b := bot.New(buggy{f.store}, func() *briefbot.Rules { return f.rules }, f.producer,
		bot.Options{Now: func() time.Time { return f.now }, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	form := f.bot.Command(ctx, bot.CommandInput{User: as("wu"), Text: "new request", CanOpenModal: true}).Modal
	id := regexp.MustCompile(`\d{8}-\d{6}-[0-9a-f]{8}`)
	const secret = "SECRETINPUT"
	for name, answer := range map[string]func() string{
		"command": func() string {
			return text(*b.Command(ctx, bot.CommandInput{User: as("wu"), Text: "find 执行" + secret}).Message)
		},
		"dm": func() string {
			return text(*b.DM(ctx, bot.CommandInput{User: as("wu"), Text: "find 执行" + secret}).Message)
		},
		"action": func() string {
			return text(*b.Action(ctx, bot.ActionInput{User: as("wu"), ActionID: "status", Value: "QS-2026-0001"}).Message)
		},
		"thread reply": func() string {
			return text(*b.ThreadReply(ctx, bot.ThreadInput{User: as("wu"), ThreadTS: "1.2", Text: "批示：同意 " + secret}).Message)
		},
		"submit": func() string {
			answers := requestAnswers()
			answers[briefbot.FieldTitle] = "关于" + secret + "的请示"
			values := fill(t, *form, answers)
			res := b.Submit(ctx, bot.Submission{User: as("wu"), CallbackID: form.CallbackID, PrivateMetadata: form.PrivateMetadata, ViewID: "V1", Values: values})
			if len(res.Errors) != 1 {
				t.Fatalf("submit: the apology should sit under one field of the form: %v", res.Errors)
			}
			for _, e := range res.Errors {
				return e
			}
			return ""
		},
		"home": func() string { return blockTexts(b.Home(ctx, as("wu"))) },
	} {
		logs.Reset()
		got := answer()
		incident := id.FindString(got)
		if incident == "" || !strings.Contains(got, "系统出错") {
			t.Fatalf("%s: answered %q, want the apology with an incident id", name, got)
		}
		if !strings.Contains(logs.String(), "incident="+incident) || !strings.Contains(logs.String(), "stack=") {
			t.Fatalf("%s: the log does not carry incident %s with its stack:\n%s", name, incident, logs.String())
		}
		if strings.Contains(logs.String(), secret) {
			t.Fatalf("%s: the log carries the input:\n%s", name, logs.String())
		}
	}
	// And the bot serves on.
	if r := b.Command(ctx, bot.CommandInput{User: as("wu"), Text: "help"}); !strings.Contains(text(*r.Message), "status") {
		t.Fatalf("after the panics: %q", text(*r.Message))
	}
}
