package bot_test

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/store"
)

// TestClassified_RefusedOnEveryPathAndNowhereAfterwards sends text carrying a
// classification marking through every way text enters the bot — the intake form, the
// DM conversation, the console, instruction and feedback forms, a thread reply — and
// then reads the database file and the logs: the text is in neither, and no answer
// echoed it.
func TestClassified_RefusedOnEveryPathAndNowhereAfterwards(t *testing.T) {
	const marked = "机密★10年 专案组部署方案QQ8"
	var logs bytes.Buffer
	path := filepath.Join(t.TempDir(), "c.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai)
	b := botOn(s, testRules(), bot.Options{Now: func() time.Time { return now }, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	var answers []string
	keep := func(r bot.Response) {
		if r.Message != nil {
			answers = append(answers, text(*r.Message))
		}
	}

	// The intake form, in every free-text field.
	for _, field := range []string{"title", "requested_item", "reasons", "recommendation", "body", "attachments"} {
		open := b.Command(ctx, bot.CommandInput{User: as("wu"), Text: "new", CanOpenModal: true})
		a := requestAnswers()
		a[field] = marked
		res := b.Submit(ctx, bot.Submission{User: as("wu"), CallbackID: open.Modal.CallbackID, PrivateMetadata: open.Modal.PrivateMetadata, ViewID: "V-" + field, Values: fill(t, *open.Modal, a)})
		if len(res.Errors) == 0 {
			t.Fatalf("intake form accepted a marking in %s", field)
		}
		for _, e := range res.Errors {
			answers = append(answers, e)
		}
	}
	// The DM conversation.
	keep(b.DM(ctx, bot.CommandInput{User: as("wu"), Text: "new"}))
	keep(b.DM(ctx, bot.CommandInput{User: as("wu"), Text: marked}))
	keep(b.DM(ctx, bot.CommandInput{User: as("wu"), Text: "取消"}))
	// The console (the same flows, typed).
	var out strings.Builder
	consoleOn(s, b, "new\n"+marked+"\n取消\n", &out, "wu").Run(ctx)
	answers = append(answers, out.String())

	// An instruction, a progress report and a thread reply on a real matter.
	r, _ := s.Submit(ctx, req("正常的请示"), nil, briefbot.Delivery{})
	num := r.Matter.Number.String()
	ins := b.Action(ctx, bot.ActionInput{User: as("zhao"), ActionID: "instruct", Value: num, CanOpenModal: true})
	res := b.Submit(ctx, bot.Submission{User: as("zhao"), CallbackID: ins.Modal.CallbackID, PrivateMetadata: ins.Modal.PrivateMetadata, ViewID: "VI",
		Values: fill(t, *ins.Modal, map[string]any{"instruction": marked})})
	if len(res.Errors) == 0 {
		t.Fatalf("instruction form accepted a marking")
	}
	for _, e := range res.Errors {
		answers = append(answers, e)
	}
	s.Apply(ctx, briefbot.RefID(r.Matter.ID), steps(briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: now, Text: "请办理"}), briefbot.Delivery{})
	s.Apply(ctx, briefbot.RefID(r.Matter.ID), steps(briefbot.Step{Action: briefbot.ActionRefer, Actor: "zhao", At: now, Lead: "criminal", Deadline: now.Add(72 * time.Hour)}), briefbot.Delivery{})
	fb := b.Action(ctx, bot.ActionInput{User: as("wu"), ActionID: "fb_progress", Value: num, CanOpenModal: true})
	res = b.Submit(ctx, bot.Submission{User: as("wu"), CallbackID: fb.Modal.CallbackID, PrivateMetadata: fb.Modal.PrivateMetadata, ViewID: "VF",
		Values: fill(t, *fb.Modal, map[string]any{"text": marked})})
	if len(res.Errors) == 0 {
		t.Fatalf("feedback form accepted a marking")
	}
	for _, e := range res.Errors {
		answers = append(answers, e)
	}

	for i, a := range answers {
		if strings.Contains(a, "QQ8") {
			t.Fatalf("answer %d echoes the marked text:\n%s", i, a)
		}
	}
	if strings.Contains(logs.String(), "QQ8") {
		t.Fatalf("the logs hold the marked text:\n%s", logs.String())
	}
	s.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("QQ8")) {
		t.Fatalf("the database file holds the marked text")
	}
	if got, _ := store.CheckFile(path); len(got) != 0 {
		t.Fatalf("check: %v", got)
	}
}

// TestClassified_CommandsNeverEcho: a marking typed into a command (a search, a
// status, an unknown word) is refused before anything reads it, and the answer does
// not repeat it, in the slash command and in a DM.
func TestClassified_CommandsNeverEcho(t *testing.T) {
	f := newFixture(t)
	for _, line := range []string{"find 机密★1年 专案ZZ1", "status 机密★ZZ1", "机密★1年ZZ1", "list 绝密ZZ1", "帮我查 秘密★ZZ1"} {
		for _, r := range []bot.Response{
			f.bot.Command(ctx, bot.CommandInput{User: as("wu"), Text: line}),
			f.bot.DM(ctx, bot.CommandInput{User: as("wu"), Text: line}),
		} {
			out := text(*r.Message)
			if strings.Contains(out, "ZZ1") || !strings.Contains(out, "密级") {
				t.Fatalf("%q answered %q", line, out)
			}
		}
	}
}
