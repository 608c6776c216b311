package bot

import (
	"fmt"
	"runtime/debug"

	"github.com/briefbot/briefbot/blockkit"
)

// Panicked turns a panic recovered while handling one input (r, what recover
// returned) into an incident: logged with its id and stack, counted, and answered
// with the apology that quotes the id. The bot goes on serving everyone else. The
// log line carries the panic value and the stack only: never the input, which may
// be text the bot refused to keep.
func (b *Bot) Panicked(op string, r any) Response {
	id := b.incident()
	b.log.Error("panic", "op", op, "panic", fmt.Sprint(r), "incident", id, "stack", string(debug.Stack()))
	b.metrics.Panicked(op)
	lang := b.rules().LangOf(nil)
	return say(msgSorry.Format(lang, id))
}

// recover, deferred by an entry point returning a Response, answers a panic.
func (b *Bot) recover(op string, resp *Response) {
	if r := recover(); r != nil {
		*resp = b.Panicked(op, r)
	}
}

// recoverSubmit answers a panic in a modal submission: under the form's first input
// (the form stays open with what the user typed), or as a message when it has none.
func (b *Bot) recoverSubmit(s Submission, res *SubmissionResult) {
	if r := recover(); r != nil {
		sorry := b.Panicked("submit", r)
		for block := range s.Values {
			*res = SubmissionResult{Errors: map[string]string{block: sorry.Message.Text}}
			return
		}
		*res = SubmissionResult{Message: sorry.Message}
	}
}

// recoverHome answers a panic while building the Home tab with the apology.
func (b *Bot) recoverHome(blocks *[]blockkit.Block) {
	if r := recover(); r != nil {
		*blocks = b.Panicked("home", r).Message.Blocks
	}
}
