package bot_test

import (
	"strings"
	"testing"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/bot"
)

// FuzzCommand: any text typed after the command (or in a DM) gets an answer within
// Slack's limits, and never a panic.
func FuzzCommand(f *testing.F) {
	for _, s := range []string{"", "help", "new report", "status QS-2026-0001", "list mine page 2", "find 执行 page 9", "brief party now", "list page -1", "new 请示", "<!channel>"} {
		f.Add(s)
	}
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, text string) {
		for _, who := range []string{"wu", "qian"} {
			r := fx.bot.Command(ctx, bot.CommandInput{User: as(briefbot.MemberID(who)), Text: text})
			if r.Message != nil {
				if err := blockkit.Validate(*r.Message); err != nil {
					t.Fatalf("Command(%q): %v", text, err)
				}
			}
			if r.Modal != nil {
				if err := blockkit.ValidateView(*r.Modal); err != nil {
					t.Fatalf("Command(%q) modal: %v", text, err)
				}
			}
		}
	})
}

// FuzzIntakeForm: values typed into the intake form's free-text fields are read,
// checked and either refused inline or stored; nothing panics.
func FuzzIntakeForm(f *testing.F) {
	f.Add("关于某事的请示", "事项", "QS-2026-0001 x", "https://oa.example/1\nftp://x", "2026-13-40")
	f.Add("", "", "", "", "")
	fx := newFixture(f)
	open := fx.bot.Command(ctx, bot.CommandInput{User: as("wu"), Text: "new", CanOpenModal: true})
	n := 0
	f.Fuzz(func(t *testing.T, title, item, related, attachments, answerBy string) {
		a := requestAnswers()
		a["title"], a["requested_item"], a["related"], a["attachments"], a["answer_by"] = title, item, related, attachments, answerBy
		n++
		res := fx.bot.Submit(ctx, bot.Submission{User: as("wu"), CallbackID: open.Modal.CallbackID, PrivateMetadata: open.Modal.PrivateMetadata,
			ViewID: "VF" + strings.Repeat("x", n%7) + string(rune('a'+n%26)), Values: fill(t, *open.Modal, a)})
		for block := range res.Errors {
			if block == "" {
				t.Fatalf("an error on no block: %v", res.Errors)
			}
		}
	})
}
