package bot_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/store"
)

func auditActions(t *testing.T, s *store.Store) []string {
	t.Helper()
	var as []string
	s.Audit(ctx, func(e briefbot.AuditEntry) bool {
		as = append(as, string(e.Action)+":"+string(e.Actor))
		return true
	})
	return as
}

func TestReload_RemovedMemberLosesAccessAtOnce(t *testing.T) {
	f := newFixture(t)
	f.rules.Org.Members = append(f.rules.Org.Members, briefbot.Member{ID: "jiang", Name: "蒋管理员", Admin: true})
	next := testRules()
	next.Org.Members = append(next.Org.Members, briefbot.Member{ID: "jiang", Name: "蒋管理员", Admin: true})
	next.Org.Departments[0].Heads = nil // wu leaves the criminal division and the bot
	next.Org.Members = next.Org.Members[:5]
	next.Org.Members = append(next.Org.Members, briefbot.Member{ID: "chen", Name: "陈法官"}, briefbot.Member{ID: "zheng", Name: "郑庭长"}, briefbot.Member{ID: "jiang", Name: "蒋管理员", Admin: true})
	var fail bool
	var asked []briefbot.MemberID
	b := f.newBot(bot.Options{Reload: func(_ context.Context, actor briefbot.MemberID) error {
		asked = append(asked, actor)
		if fail {
			return briefbot.Errorf(briefbot.EINVALID, briefbot.ReasonConfig, briefbot.Text{ZH: "org.yaml:3: 错误", EN: "org.yaml:3: wrong"})
		}
		f.rules = next
		return nil
	}})
	say := func(who briefbot.MemberID, s string) string {
		r := b.Command(ctx, bot.CommandInput{User: as(who), Text: s})
		return text(*r.Message)
	}
	if out := say("wu", "help"); !strings.Contains(out, "报送请示") {
		t.Fatalf("before the reload wu is served: %s", out)
	}
	if out := say("qian", "reload"); !strings.Contains(out, "管理员") {
		t.Fatalf("a clerk reloaded: %s", out)
	}
	fail = true
	if out := say("jiang", "reload"); !strings.Contains(out, "未重新加载") || !strings.Contains(out, "org.yaml:3") {
		t.Fatalf("bad config = %s", out)
	}
	if out := say("wu", "help"); !strings.Contains(out, "报送请示") {
		t.Fatalf("a failed reload changed the config")
	}
	fail = false
	if out := say("jiang", "reload"); !strings.Contains(out, "已重新加载") {
		t.Fatalf("reload = %s", out)
	}
	if out := say("wu", "list"); !strings.Contains(out, "联系管理员") {
		t.Fatalf("wu, removed, is still served: %s", out)
	}
	if len(asked) != 2 || asked[0] != "jiang" || asked[1] != "jiang" {
		t.Fatalf("reloads asked by %v; want jiang twice (the clerk refused before)", asked)
	}
	if out := text(*f.newBot(bot.Options{}).Command(ctx, bot.CommandInput{User: as("jiang"), Text: "reload"}).Message); !strings.Contains(out, "不能重新加载") {
		t.Fatalf("reload without a source = %s", out)
	}
}

// TestLeak_RestrictedMatterNeverReachesTheUnauthorised: a restricted matter's title and
// body (distinctive strings) appear in no output produced for a member outside its
// circulation — every command, App Home, the channel briefing and its alert, the
// instruction flows — nor in the logs; its existence does not leak either.
func TestLeak_RestrictedMatterNeverReachesTheUnauthorised(t *testing.T) {
	var logs bytes.Buffer
	f := newFixture(t)
	s, p := f.store, f.posts
	b := f.newBot(bot.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})

	// Submitted through the intake form, extra urgent, so its alert is made too.
	open := b.Command(ctx, bot.CommandInput{User: as("wu"), Text: "new", CanOpenModal: true})
	answers := requestAnswers()
	answers["title"], answers["body"], answers["urgency"], answers["restricted"] = "绝对不能外泄的标题XQ7", "只给赵书记看的正文ZK9", "extra_urgent", []string{"zhao"}
	if res := b.Submit(ctx, bot.Submission{User: as("wu"), CallbackID: open.Modal.CallbackID, PrivateMetadata: open.Modal.PrivateMetadata,
		ViewID: "V1", Values: fill(t, *open.Modal, answers)}); len(res.Errors) != 0 {
		t.Fatal(res.Errors)
	}
	const num = "QS-2026-0001"
	s.Submit(ctx, req("普通请示"), nil, briefbot.Delivery{})

	var outputs []string
	keep := func(m *blockkit.Message) {
		if m != nil {
			outputs = append(outputs, text(*m))
		}
	}
	for _, who := range []briefbot.MemberID{"qian", "sun", "li", "zheng", "chen"} { // not zhou: the principal signs it off
		for _, c := range []string{"status " + num, "list", "list all", "list awaiting", "list overdue", "list dept", "find 不能外泄", "find 标题", "brief party preview", "help"} {
			keep(b.Command(ctx, bot.CommandInput{User: as(who), Text: c}).Message)
		}
		keep(b.DM(ctx, bot.CommandInput{User: as(who), Text: "status " + num}).Message)
		for _, a := range []string{"status", "read", "instruct", "fb_progress", "close_out"} {
			r := b.Action(ctx, bot.ActionInput{User: as(who), ActionID: a, Value: num, CanOpenModal: true})
			keep(r.Message)
			if r.Modal != nil {
				outputs = append(outputs, blockTexts(r.Modal.Blocks.BlockSet))
			}
		}
		outputs = append(outputs, blockTexts(b.Home(ctx, as(who))))
	}
	// The channel briefing (read by the whole committee channel) and the channel alert.
	d, err := f.producer.MakeBriefing(ctx, "party", "", time.Time{}, false)
	if err != nil {
		t.Fatal(err)
	}
	var leaderGot bool
	for _, part := range d.Parts {
		if part.To == briefbot.ToMember("zhao") { // the leader on the list gets the content by DM
			leaderGot = strings.Contains(part.Text, "XQ7")
			continue
		}
		outputs = append(outputs, part.Text, string(part.Blocks))
	}
	if !leaderGot {
		t.Fatalf("the leader on the list did not get the restricted item by DM with the briefing")
	}
	for _, post := range p.all() {
		if post.to != "zhao" && post.to != "wu" && post.to != "zhou" { // the leader on the list, the submitter's receipt, the signatory
			outputs = append(outputs, text(post.msg))
		}
	}
	alerts, _ := s.OpenDispatches(ctx)
	var sawAlert bool
	for _, a := range alerts {
		if a.Kind != briefbot.DispatchAlert {
			continue
		}
		sawAlert = true
		for _, part := range f.render(t, a) {
			if part.To != briefbot.ToMember("zhao") {
				outputs = append(outputs, part.Text, string(part.Blocks))
			}
		}
	}
	if !sawAlert {
		t.Fatalf("the extra-urgent matter raised no alert")
	}
	outputs = append(outputs, logs.String())
	for i, out := range outputs {
		for _, leak := range []string{"XQ7", "ZK9", "只给赵书记"} { // (the words searched for are echoed back: not a leak)
			if strings.Contains(out, leak) {
				t.Fatalf("output %d leaks %q:\n%s", i, leak, out)
			}
		}
	}
	// The one who may see it does, and the access is audited.
	r2 := b.Command(ctx, bot.CommandInput{User: as("zhao"), Text: "status " + num})
	if !strings.Contains(text(*r2.Message), "XQ7") {
		t.Fatalf("zhao cannot see what is restricted to him")
	}
	if got := strings.Join(auditActions(t, s), " "); !strings.Contains(got, "view_restricted:zhao") || strings.Contains(got, "view_restricted:qian") {
		t.Fatalf("audit = %s", got)
	}
}

// TestAudience_ChannelShowsOnlyWhatAllItsReadersMaySee: the party committee's channel
// also has the civil division's principal in it, who may not see the criminal
// division's matters: in the channel they are placeholders; the leader still gets the
// urgent one in full by DM.
func TestAudience_ChannelShowsOnlyWhatAllItsReadersMaySee(t *testing.T) {
	f := newFixture(t)
	f.rules.Org.Committees[0].Channel = "CPARTY"
	f.rules.Org.Committees[0].Audience = []briefbot.MemberID{"zheng"}
	open := f.bot.Command(ctx, bot.CommandInput{User: as("wu"), Text: "new", CanOpenModal: true})
	a := requestAnswers()
	a["title"], a["urgency"] = "刑庭的请示TT5", "extra_urgent"
	if res := f.bot.Submit(ctx, bot.Submission{User: as("wu"), CallbackID: open.Modal.CallbackID, PrivateMetadata: open.Modal.PrivateMetadata, ViewID: "V1", Values: fill(t, *open.Modal, a)}); len(res.Errors) != 0 {
		t.Fatal(res.Errors)
	}
	d, err := f.producer.MakeBriefing(ctx, "party", "", time.Time{}, false)
	if err != nil {
		t.Fatal(err)
	}
	var channel strings.Builder
	for _, p := range d.Parts {
		if p.To.IsCommittee() {
			channel.WriteString(p.Text + string(p.Blocks))
		}
	}
	dispatches, _ := f.store.OpenDispatches(ctx)
	leaderSaw := false
	for _, disp := range dispatches {
		for _, p := range f.render(t, disp) {
			switch {
			case disp.Kind == briefbot.DispatchAlert && p.To.IsCommittee():
				channel.WriteString(p.Text + string(p.Blocks))
			case disp.Kind == briefbot.DispatchAlert && p.To == briefbot.ToMember("zhao"):
				leaderSaw = strings.Contains(p.Text, "TT5")
			}
		}
	}
	if strings.Contains(channel.String(), "TT5") || !strings.Contains(channel.String(), "QS-2026-0001") {
		t.Fatalf("the channel shows what its audience may not see, or nothing at all:\n%s", channel.String())
	}
	if !leaderSaw {
		t.Fatalf("the leader's DM alert lost its content")
	}
}

// TestLeak_NoticesOnlyToThoseWhoMaySee: the instruction on a restricted matter is told
// to its submitter, not to the department's principal who is off its list; the
// decisions later likewise.
func TestLeak_NoticesOnlyToThoseWhoMaySee(t *testing.T) {
	f := newFixture(t)
	m := req("限定范围的请示NN4")
	m.Restricted = []briefbot.MemberID{"zhao", "qian"}
	m = f.seed(t, m)
	r := act(f, "zhao", "instruct", m.Number.String())
	res := f.bot.Submit(ctx, bot.Submission{User: as("zhao"), CallbackID: r.Modal.CallbackID, PrivateMetadata: r.Modal.PrivateMetadata, ViewID: "VL",
		Values: fill(t, *r.Modal, map[string]any{"instruction": "同意", "lead": "criminal"})})
	if len(res.Errors) != 0 {
		t.Fatal(res.Errors)
	}
	for _, p := range f.posts.all() {
		if strings.Contains(text(p.msg), "NN4") && p.to != "wu" && p.to != "zhao" && p.to != "qian" && p.to != "zhou" { // zhou: the signatory
			t.Fatalf("%s was told of a matter off their list: %s", p.to, text(p.msg))
		}
	}
}

// TestLeak_NumbersOfRestrictedMattersAnswerAsNonexistent: a member who may not see a
// restricted matter learns nothing by typing its number — as a related matter, as the
// first report of a follow-up, after `status` — the answer is word for word the one a
// number that does not exist gets; and a card shows no number its reader may not see.
func TestLeak_NumbersOfRestrictedMattersAnswerAsNonexistent(t *testing.T) {
	f := newFixture(t)
	secret := req("民事庭限定范围的请示RR7")
	secret.Department, secret.Submitter, secret.Signatory, secret.Restricted = "civil", "zheng", "zheng", []briefbot.MemberID{"zhao"}
	secret = f.seed(t, secret)
	first := &briefbot.Matter{Kind: briefbot.KindReport, ReportType: briefbot.ReportSituation, Title: "民事庭限定范围的情况报告RR8", Body: "情况",
		Department: "civil", Submitter: "zheng", Signatory: "zheng", Addressee: "party", Unclassified: true, Restricted: []briefbot.MemberID{"zhao"}}
	first = f.seed(t, first)
	missing := func(n briefbot.Number) briefbot.Number { n.Seq = 99; return n }
	same := func(what, a, b string, hidden, absent briefbot.Number) {
		t.Helper()
		if a == "" || strings.ReplaceAll(a, hidden.String(), "N") != strings.ReplaceAll(b, absent.String(), "N") {
			t.Fatalf("%s: a restricted number is answered differently from a missing one:\n%q\n%q", what, a, b)
		}
	}
	// As a related matter, in the form.
	related := func(n briefbot.Number) string {
		a := requestAnswers()
		a[briefbot.FieldRelated] = n.String()
		return f.submitForm(t, "wu", "request", "", a).Errors[briefbot.FieldRelated]
	}
	same("related", related(secret.Number), related(missing(secret.Number)), secret.Number, missing(secret.Number))
	// As the first report of a follow-up.
	followUp := func(n briefbot.Number) string {
		return f.submitForm(t, "wu", "report", "", map[string]any{
			briefbot.FieldReportType: string(briefbot.ReportFollowUp), briefbot.FieldFollowUpOf: n.String(), briefbot.FieldTitle: "续报",
			briefbot.FieldBody: "进展", briefbot.FieldAddressee: "party", briefbot.FieldUnclassified: true,
		}).Errors[briefbot.FieldFollowUpOf]
	}
	same("follow-up", followUp(first.Number), followUp(missing(first.Number)), first.Number, missing(first.Number))
	// By status.
	same("status", text(cmd(f, "wu", "status "+secret.Number.String())), text(cmd(f, "wu", "status "+missing(secret.Number).String())),
		secret.Number, missing(secret.Number))
	if n := f.count(t); n != 2 {
		t.Fatalf("%d matters; the refused submissions stored something", n)
	}
	// The one who may see it can relate to it; wu's card of a matter relating to it
	// does not show the number.
	a := req("关联限定事项的请示")
	a.Related = []briefbot.Number{secret.Number}
	a = f.seed(t, a)
	if card := text(cmd(f, "wu", "status "+a.Number.String())); strings.Contains(card, secret.Number.String()) || !strings.Contains(card, a.Number.String()) {
		t.Fatalf("wu's card shows a number off wu's sight:\n%s", card)
	}
	if card := text(cmd(f, "zhao", "status "+a.Number.String())); !strings.Contains(card, secret.Number.String()) {
		t.Fatalf("zhao's card lost the related number zhao may see:\n%s", card)
	}
}
