package bot_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/slack-go/slack"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/store"
)

// forgedRules: the party group (leader zhao, clerk qian) is the addressee of the
// matters below and the commission (leader sun, clerk li) is copied; feng leads the
// party group and heads the criminal division, which submits them (回避).
func forgedRules() *briefbot.Rules {
	r := testRules()
	r.Org.Members = append(r.Org.Members, briefbot.Member{ID: "feng", Name: "冯副书记", SlackID: "UFENG"}, briefbot.Member{ID: "jiang", Name: "蒋管理员", SlackID: "UJIANG", Admin: true})
	r.Org.Committees[0].Leaders = append(r.Org.Committees[0].Leaders, "feng")
	r.Org.Departments[0].Heads = append(r.Org.Departments[0].Heads, "feng")
	return r
}

var forgedRoles = []briefbot.MemberID{"chen", "wu", "zhou", "feng", "zhao", "qian", "sun", "li", "zheng", "jiang"}

// forgedSetup makes one matter in each state a door's step could apply to: submitted,
// instructed, referred (with a pending extension request) and completed; all from the
// criminal division, addressed to the party group and copied to the commission.
func forgedSetup(t *testing.T, f *fixture) map[briefbot.Status]*briefbot.Matter {
	t.Helper()
	mk := func(title string, ss ...briefbot.Step) *briefbot.Matter {
		m := req(title)
		m.Copied = []briefbot.CommitteeID{"pl"}
		m = f.seed(t, m)
		if len(ss) > 0 {
			r, err := f.store.Apply(ctx, briefbot.RefID(m.ID), steps(ss...), briefbot.Delivery{})
			if err != nil {
				t.Fatal(err)
			}
			m = r.Matter
		}
		return m
	}
	at := f.now
	instruct := briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: at, Text: "同意"}
	refer := briefbot.Step{Action: briefbot.ActionRefer, Actor: "zhao", At: at, Lead: "criminal", Deadline: at.AddDate(0, 0, 10)}
	extend := briefbot.Step{Action: briefbot.ActionRequestExtension, Actor: "wu", At: at, Department: "criminal", Text: "需要时间", Deadline: at.AddDate(0, 0, 20)}
	complete := briefbot.Step{Action: briefbot.ActionComplete, Actor: "wu", At: at, Department: "criminal", Text: "已办结"}
	return map[briefbot.Status]*briefbot.Matter{
		briefbot.StatusSubmitted:  mk("已报送的请示"),
		briefbot.StatusInstructed: mk("已批示的请示", instruct),
		briefbot.StatusReferred:   mk("已转办的请示", instruct, refer, extend),
		briefbot.StatusCompleted:  mk("已办结的请示", instruct, refer, complete),
	}
}

// forgedAudit compares each matter with how it stood: a change must be one the rules
// allow its actor (Rules.Check, or a clerk recording for a leader). It returns how many
// attempts changed the ledger, and fails the test on any change not allowed.
func forgedAudit(t *testing.T, f *fixture, door string, before map[briefbot.Status]*briefbot.Matter) (changed, wrong int) {
	t.Helper()
	for st, old := range before {
		now, err := f.store.Matter(ctx, briefbot.RefID(old.ID))
		if err != nil {
			t.Fatal(err)
		}
		if now.Version == old.Version {
			continue
		}
		changed++
		cur := old
		for _, ev := range now.History[len(old.History):] {
			allowed := f.rules.Check(ev.Actor, cur, ev.Action, ev.At) == nil
			if ev.OnBehalfOf != "" {
				allowed = contains(f.rules.CanRecordFor(ev.Actor, cur, ev.Action), ev.OnBehalfOf)
			}
			if !allowed {
				wrong++
				t.Errorf("%s: %s took %s (on behalf of %q) on the %s matter: not allowed", door, ev.Actor, ev.Action, ev.OnBehalfOf, st)
			}
			next := cur.Clone()
			step := briefbot.Step{Action: ev.Action, Actor: ev.Actor, OnBehalfOf: ev.OnBehalfOf, At: ev.At, Reason: "理由", Text: "内容", Lead: "criminal", Deadline: ev.At.AddDate(0, 0, 30)}
			if ev.Action == briefbot.ActionProgress || ev.Action == briefbot.ActionComplete || ev.Action == briefbot.ActionRequestExtension {
				step.Department = "criminal"
			}
			if next.Apply(step) == nil {
				cur = next
			}
		}
	}
	return changed, wrong
}

func contains(ids []briefbot.MemberID, id briefbot.MemberID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// TestForged_EveryDoorEveryRole sends every step through every door, by every role,
// with the metadata, values and block contents the sender chooses (a signed request
// proves only who sent it): the step form with any action named in its metadata, the
// instruction form with any kind, any leader to record for and any lead unit, every
// button with any matter, and a thread reply. Every change that lands must be one the
// authorizer allows its actor; and the allowed cells must go through (the test would
// catch a door that refuses everything as readily as one that lets anything in).
func TestForged_EveryDoorEveryRole(t *testing.T) {
	tried, wrong, through := 0, 0, 0
	for _, door := range []string{"step form", "instruct form", "button", "thread reply"} {
		for _, who := range forgedRoles {
			for _, a := range briefbot.Actions {
				if a != briefbot.ActionInstruct && (door == "instruct form" || door == "thread reply") {
					continue // these doors carry no action of their own
				}
				// Without fsync: this test is about who may do what, and makes 420 ledgers.
				f := newFixtureOpts(t, forgedRules(), store.Options{NoSync: true})
				ms := forgedSetup(t, f)
				before := map[briefbot.Status]*briefbot.Matter{}
				for st, m := range ms {
					before[st] = m.Clone()
				}
				for _, m := range ms {
					tried += forge(t, f, door, who, a, m)
				}
				changed, bad := forgedAudit(t, f, door, before)
				through, wrong = through+changed, wrong+bad
			}
		}
	}
	t.Logf("forged requests: %d (4 doors × %d roles × every action the door carries × 4 matters; the instruction form with each kind and leader); changed the ledger: %d; wrongly allowed: %d",
		tried, len(forgedRoles), through, wrong)
	if through == 0 {
		t.Fatalf("no attempt went through: the test proves nothing")
	}
}

// forge sends step a on m as who through door, with everything the sender controls
// chosen to get it through, and returns how many requests it sent.
func forge(t *testing.T, f *fixture, door string, who briefbot.MemberID, a briefbot.Action, m *briefbot.Matter) (sent int) {
	num := m.Number.String()
	switch door {
	case "step form":
		meta, _ := json.Marshal(map[string]string{"n": num, "a": string(a)})
		f.bot.Submit(ctx, bot.Submission{User: as(who), CallbackID: "step", PrivateMetadata: string(meta), ViewID: fmt.Sprint("V", who, a, m.ID),
			Values: map[string]map[string]slack.BlockAction{"text": {"text": {Value: "伪造的内容"}}, "new_deadline": {"new_deadline": {SelectedDate: "2026-12-30"}}}})
		return 1
	case "instruct form":
		for _, kind := range []string{"instruct", "read"} {
			for _, leader := range []string{"", "zhao", "sun", "feng", who2s(who)} {
				meta, _ := json.Marshal(map[string]string{"n": num, "k": kind})
				f.bot.Submit(ctx, bot.Submission{User: as(who), CallbackID: "instruct", PrivateMetadata: string(meta), ViewID: fmt.Sprint("I", who, kind, leader, m.ID),
					Values: map[string]map[string]slack.BlockAction{
						"instruction": {"instruction": {Value: "伪造的批示"}},
						"on_behalf":   {"on_behalf": {SelectedOption: slack.OptionBlockObject{Value: leader}}},
						"lead":        {"lead": {SelectedOption: slack.OptionBlockObject{Value: "criminal"}}},
					}})
				sent++
			}
		}
		return sent
	case "button":
		r := f.bot.Action(ctx, bot.ActionInput{User: as(who), ActionID: string(a), Value: num, CanOpenModal: true, DeliveryKey: fmt.Sprint("B", who, a, m.ID)})
		if r.Modal != nil { // a form opened: submit it as it came, filled
			f.bot.Submit(ctx, bot.Submission{User: as(who), CallbackID: r.Modal.CallbackID, PrivateMetadata: r.Modal.PrivateMetadata, ViewID: fmt.Sprint("BV", who, a, m.ID),
				Values: fill(t, *r.Modal, map[string]any{"instruction": "批示", "text": "内容"})})
			return 2
		}
		return 1
	case "thread reply":
		d, _, err := f.store.CreateDispatch(ctx, &briefbot.Dispatch{Kind: briefbot.DispatchAlert, Committee: "party", Matters: []uint64{m.ID},
			Parts: []briefbot.Part{{Text: "alert"}}})
		if err != nil {
			t.Fatal(err)
		}
		ts := fmt.Sprint("ts-", d.ID)
		f.store.MarkPart(ctx, d.ID, 0, briefbot.PartOutcome{TS: ts})
		f.bot.ThreadReply(ctx, bot.ThreadInput{User: as(who), Text: "批示 " + num + "：伪造", ThreadTS: ts, DeliveryKey: fmt.Sprint("T", who, a, m.ID)})
		return 1
	}
	return 0
}

func who2s(id briefbot.MemberID) string { return string(id) }

// TestForged_IntakeForm: the intake form's metadata (kind, draft) and its department
// and signatory are the sender's to write. Only a head of the department named stores
// a submission; only its members a draft, where drafts are on.
func TestForged_IntakeForm(t *testing.T) {
	tried, stored := 0, 0
	for _, drafts := range []bool{false, true} {
		for _, who := range forgedRoles {
			for _, dept := range []briefbot.DepartmentID{"criminal", "civil", "nowhere"} {
				for _, draft := range []bool{false, true} {
					r := forgedRules()
					r.Intake.MemberDrafts = drafts
					f := newFixtureOpts(t, r, store.Options{NoSync: true})
					meta, _ := json.Marshal(map[string]any{"k": "request", "d": draft})
					values := map[string]map[string]slack.BlockAction{}
					for field, v := range map[string]string{"title": "伪造的请示", "requested_item": "事项", "reasons": "理由", "recommendation": "建议"} {
						values[field] = map[string]slack.BlockAction{field: {Value: v}}
					}
					for field, v := range map[string]string{"department": string(dept), "signatory": "zhou", "decision": "collective", "urgency": "ordinary", "addressee": "party"} {
						values[field] = map[string]slack.BlockAction{field: {SelectedOption: slack.OptionBlockObject{Value: v}}}
					}
					values["unclassified"] = map[string]slack.BlockAction{"unclassified": {SelectedOptions: []slack.OptionBlockObject{{Value: "yes"}}}}
					values["signed_on"] = map[string]slack.BlockAction{"signed_on": {SelectedDate: "2026-03-01"}}
					tried++
					f.bot.Submit(ctx, bot.Submission{User: as(who), CallbackID: "intake", PrivateMetadata: string(meta), ViewID: "VF", Values: values})
					p, _ := f.store.List(ctx, briefbot.Filter{})
					if len(p.Matters) == 0 {
						continue
					}
					stored++
					m := p.Matters[0]
					d, _ := f.rules.Org.Department(m.Department)
					switch {
					case d == nil:
						t.Errorf("%s stored a matter of an unknown department", who)
					case m.Status == briefbot.StatusDraft && !(drafts && d.Has(who)):
						t.Errorf("%s saved a draft for %s (drafts %v)", who, dept, drafts)
					case m.Status != briefbot.StatusDraft && !d.IsHead(who):
						t.Errorf("%s submitted for %s without heading it", who, dept)
					}
				}
			}
		}
	}
	t.Logf("forged intake forms: %d; stored: %d, each by one who may", tried, stored)
	if stored == 0 {
		t.Fatal("nothing was stored: the test proves nothing")
	}
}
