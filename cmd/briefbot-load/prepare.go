package main

import (
	"fmt"
	"net/http"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/internal/slacktest"
)

// prepare builds the run's request bodies before the clock starts (the tool measures
// the bot, not itself), numbered from first. For 批示 and 反馈 it first submits, one
// at a time, the matters they act on (and, for 反馈, their 批示), to the bot at target
// and to the shadow bot alike, so that both ledgers number them the same.
func prepare(o options, sh *shadow, target string, first int) ([][]byte, error) {
	total := int(o.duration.Seconds() * float64(o.rate))
	bodies := make([][]byte, total)
	if o.mode == "status" {
		for n := range bodies {
			bodies[n] = slacktest.FormBody(sh.slack.SlashCommandPayload(o.user, "D"+o.user, "/matter", "status "+number(1)))
		}
		return bodies, nil
	}
	payloads, err := formPayloads(o, sh, o.mode, first, total)
	for _, step := range []string{"submit", "instruct"} { // what the mode's forms act on
		if err != nil || o.mode == step || o.mode == "submit" || step == "instruct" && o.mode != "feedback" {
			break
		}
		if err = setUp(o, sh, target, payloads[step]); err == nil {
			payloads, err = formPayloads(o, sh, o.mode, first, total)
		}
	}
	if err != nil {
		return nil, err
	}
	for n, p := range payloads[o.mode] {
		if bodies[n], err = slacktest.InteractionBody(p); err != nil {
			return nil, err
		}
	}
	return bodies, nil
}

// formPayloads are the form submissions of request numbers first to first+total-1:
// the intake forms, and up to the mode's own, each form opened by the shadow bot.
// A 批示 or 反馈 form needs its matter in the shadow's ledger (and, for 反馈, its
// 批示): they are built once the setup has put them there.
func formPayloads(o options, sh *shadow, mode string, first, total int) (map[string][]map[string]any, error) {
	out := map[string][]map[string]any{}
	intake, err := sh.intakeForm(o.user)
	if err != nil {
		return nil, err
	}
	for n := first; n < first+total; n++ {
		out["submit"] = append(out["submit"], sh.submission(o.user, intake, intakeValues(n, o.addressee), "VLOAD", n))
	}
	if mode == "submit" || sh.matters() < total {
		return out, nil
	}
	for n := range total {
		view, err := sh.buttonForm(leaderSlack, string(briefbot.ActionInstruct), number(n+1))
		if err != nil {
			return nil, fmt.Errorf("批示 form for %s: %w", number(n+1), err)
		}
		out["instruct"] = append(out["instruct"], sh.submission(leaderSlack, view, instructValues(o.dept), "VINSTR", n))
	}
	if mode == "instruct" || sh.steps(briefbot.ActionInstruct) < total {
		return out, nil
	}
	for n := range total {
		view, err := sh.buttonForm(o.user, string(briefbot.ActionProgress), number(n+1))
		if err != nil {
			return nil, fmt.Errorf("反馈 form for %s: %w", number(n+1), err)
		}
		out["feedback"] = append(out["feedback"], sh.submission(o.user, view, feedbackValues(), "VFEED", n))
	}
	return out, nil
}

// setUp sends payloads one at a time to the bot at target and to the shadow bot.
func setUp(o options, sh *shadow, target string, payloads []map[string]any) error {
	client := &http.Client{Timeout: 10 * time.Second}
	for i, p := range payloads {
		body, err := slacktest.InteractionBody(p)
		if err != nil {
			return err
		}
		if err := send(client, o.secret, target, body, true); err != nil {
			return fmt.Errorf("setting up (%d of %d): %w", i+1, len(payloads), err)
		}
		if err := sh.interact(p); err != nil {
			return fmt.Errorf("setting up the shadow (%d of %d): %w", i+1, len(payloads), err)
		}
	}
	fmt.Printf("set up: %d forms submitted\n", len(payloads))
	return nil
}

// number is the ledger number of the nth request submitted this year on a fresh ledger.
func number(n int) string {
	return briefbot.Number{Kind: briefbot.KindRequest, Year: time.Now().In(briefbot.DefaultLocation()).Year(), Seq: n}.String()
}
