package bot

import (
	"fmt"
	"strings"

	"github.com/briefbot/briefbot"
	"github.com/slack-go/slack"
)

// maxCardHistory is how many of the latest history steps a card shows.
const maxCardHistory = 10

// maxCardText bounds each long text on a card; the rest stays in the ledger.
const maxCardText = 1200

// card renders a matter's card: fields, state, instructions, assignment and the latest
// history. Every user-supplied string is escaped; long texts are cut with a pointer to
// the full record.
func (v *view) card(m *briefbot.Matter) Message {
	num := m.Number.String()
	blocks := []slack.Block{header(num + " " + oneLine(m.Title))}

	type field struct {
		label text
		value string
	}
	status := m.Status.Label(v.lang)
	if m.Overdue(v.now) {
		status += " ⚠️ " + v.tr(msgOverdueMark)
	}
	fs := []field{
		{msgCardKind, v.kindLabel(m)},
		{msgCardStatus, status},
		{msgCardUrgency, m.Urgency.Label(v.lang)},
		{msgCardDept, v.dept(m.Department) + " · " + v.member(m.Submitter)},
		{msgCardTo, v.committee(m.Addressee)},
	}
	if len(m.Copied) > 0 {
		fs = append(fs, field{msgCardCopied, v.committees(m.Copied)})
	}
	if m.Signatory != "" {
		fs = append(fs, field{msgCardSigned, v.member(m.Signatory) + " " + v.date(m.SignedOn)})
	}
	if m.Category != "" {
		fs = append(fs, field{msgCardCategory, m.Category})
	}
	if !m.AnswerBy.IsZero() {
		fs = append(fs, field{msgCardAnswerBy, v.date(m.AnswerBy)})
	}
	if m.Assignment != nil {
		fs = append(fs, field{msgCardDeadline, v.date(m.Assignment.Deadline)})
	}
	var fields []*slack.TextBlockObject
	for _, f := range fs[:min(len(fs), maxFields)] {
		fields = append(fields, mrkdwn(cut("*"+v.tr(f.label)+"*\n"+Escape(f.value), maxFieldText, "…")))
	}
	blocks = append(blocks, slack.NewSectionBlock(nil, fields, nil))

	long := func(label text, s string) {
		if strings.TrimSpace(s) == "" {
			return
		}
		body := cut(s, maxCardText, v.tr(msgCardCut, num))
		blocks = append(blocks, section("*"+v.tr(label)+"*\n"+Escape(body)))
	}
	long(msgCardItem, m.RequestedItem)
	long(msgCardReasons, m.Reasons)
	long(msgCardRecommend, m.Recommendation)
	long(msgCardBody, m.Body)

	var refs []string
	if !m.FollowUpOf.IsZero() {
		refs = append(refs, v.tr(msgCardFollowUp)+"："+m.FollowUpOf.String())
	}
	if len(m.Related) > 0 {
		var ns []string
		for _, r := range m.Related {
			ns = append(ns, r.String())
		}
		refs = append(refs, v.tr(msgCardRelated)+"："+strings.Join(ns, " "))
	}
	if len(m.Attachments) > 0 {
		refs = append(refs, v.tr(msgCardAttach)+"："+Escape(strings.Join(m.Attachments, " ")))
	}
	if len(m.Restricted) > 0 {
		var ns []string
		for _, r := range m.Restricted {
			ns = append(ns, v.member(r))
		}
		refs = append(refs, v.tr(msgCardRestricted)+"："+Escape(v.join(ns)))
	}
	if len(refs) > 0 {
		blocks = append(blocks, contextBlock(strings.Join(refs, "\n")))
	}

	if len(m.Instructions) > 0 {
		var lines []string
		for _, in := range m.Instructions {
			who := v.member(in.Leader)
			if in.RecordedBy != "" {
				who += "（" + v.tr(msgCardOnBehalf, v.member(in.RecordedBy)) + "）"
			}
			line := fmt.Sprintf("%s %s %s", v.datetime(in.At), Escape(who), briefbot.Action(in.Kind).Label(v.lang))
			if in.Text != "" {
				line += "：" + Escape(oneLine(in.Text))
			}
			lines = append(lines, line)
		}
		blocks = append(blocks, section("*"+v.tr(msgCardInstr)+"*\n"+cut(strings.Join(lines, "\n"), maxCardText, v.tr(msgCardCut, num))))
	}
	if a := m.Assignment; a != nil {
		blocks = append(blocks, section(Escape(v.tr(msgCardAssignment, v.dept(a.Lead), v.depts(a.Assisting), v.date(a.Deadline)))))
	}

	hist := m.History
	var lines []string
	if n := len(hist) - maxCardHistory; n > 0 {
		lines = append(lines, v.tr(msgCardMoreHistory, n))
		hist = hist[n:]
	}
	for _, ev := range hist {
		who := v.member(ev.Actor)
		if ev.OnBehalfOf != "" {
			who = v.member(ev.OnBehalfOf) + "（" + v.tr(msgCardOnBehalf, who) + "）"
		}
		line := fmt.Sprintf("%s %s %s → %s", v.datetime(ev.At), Escape(who), ev.Action.Label(v.lang), ev.To.Label(v.lang))
		if ev.Reason != "" {
			line += "：" + Escape(cut(oneLine(ev.Reason), 200, "…"))
		}
		lines = append(lines, line)
	}
	blocks = append(blocks, slack.NewDividerBlock(), contextBlock("*"+v.tr(msgCardHistory)+"*\n"+strings.Join(lines, "\n")))
	return Message{Text: num + " " + Escape(cut(oneLine(m.Title), 200, "…")) + " — " + m.Status.Label(v.lang), Blocks: blocks}
}

// listItem is one matter as a line in a list, with a details button.
func (v *view) listItem(m *briefbot.Matter) slack.Block {
	urg := ""
	if m.Urgency == briefbot.UrgencyUrgent || m.Urgency == briefbot.UrgencyExtraUrgent {
		urg = "〔" + m.Urgency.Label(v.lang) + "〕"
	}
	num := m.Number.String()
	if num == "" { // a member's draft: no ledger number until a head submits it
		num = m.Status.Label(v.lang)
	}
	line := fmt.Sprintf("*%s* %s%s\n%s · %s · %s", num, urg, Escape(cut(oneLine(m.Title), 200, "…")),
		Escape(v.dept(m.Department)), v.kindLabel(m), m.Status.Label(v.lang))
	if d := m.DueAt(); !d.IsZero() {
		line += " · " + v.date(d)
		if m.Overdue(v.now) {
			line += " ⚠️ " + v.tr(msgOverdueMark)
		}
	}
	if m.Number.IsZero() {
		return slack.NewSectionBlock(mrkdwn(line), nil, slack.NewAccessory(button(v.tr(msgButtonSubmitDraft), actionSubmitDraft, fmt.Sprintf("draft:%d", m.ID))))
	}
	return slack.NewSectionBlock(mrkdwn(line), nil, slack.NewAccessory(button(v.tr(msgButtonStatus), actionStatus, m.Number.String())))
}
