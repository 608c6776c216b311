package bot

import (
	"fmt"
	"strings"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/notices"
)

// maxCardHistory is how many of the latest history steps a card shows.
const maxCardHistory = 10

// maxCardText bounds each long text on a card; the rest stays in the ledger.
const maxCardText = 1200

// card renders a matter's card: fields, state, instructions, assignment and the latest
// history, and the buttons of what the reader may do with it now. Every user-supplied
// string is escaped; long texts are cut with a pointer to the full record.
func (v *view) card(m *briefbot.Matter) blockkit.Message {
	blocks := []blockkit.Block{blockkit.Header(briefbot.RefOf(m).String() + " " + blockkit.OneLine(m.Title)), v.cardFields(m)}
	blocks = append(blocks, v.cardTexts(m)...)
	if refs := v.cardRefs(m); refs != "" {
		blocks = append(blocks, blockkit.Context(refs))
	}
	if len(m.Files) > 0 { // each name cut short: ten files fit one section
		blocks = append(blocks, blockkit.Section("*"+v.T(msgCardFiles)+"*\n"+strings.Join(v.fileLines(m.Files), "\n")))
	}
	if len(m.Instructions) > 0 {
		blocks = append(blocks, v.cardInstructions(m))
	}
	if a := m.Assignment; a != nil {
		blocks = append(blocks, blockkit.Section(v.Assignment(a)))
	}
	blocks = append(blocks, blockkit.Divider(), blockkit.Context("*"+v.T(msgCardHistory)+"*\n"+v.cardHistory(m)))
	blocks = append(blocks, v.Buttons(m, notices.StepActions...))
	return blockkit.Message{Text: m.Number.String() + " " + notices.Title(m) + " — " + m.Status.Label(v.Lang), Blocks: blocks}
}

// cardFields is the card's field grid.
func (v *view) cardFields(m *briefbot.Matter) blockkit.Block {
	type field struct {
		label text
		value string
	}
	fs := []field{
		{msgCardKind, v.KindLabel(m)},
		{msgCardStatus, v.Status(m)},
		{msgCardUrgency, m.Urgency.Label(v.Lang)},
		{msgCardDept, v.Dept(m.Department) + " · " + v.Member(m.Submitter)},
		{msgCardTo, v.Committee(m.Addressee)},
	}
	if len(m.Copied) > 0 {
		fs = append(fs, field{msgCardCopied, v.Committees(m.Copied)})
	}
	switch {
	case m.Status == briefbot.StatusSignOff:
		fs = append(fs, field{msgCardSigned, v.T(msgCardAwaitingSignOff, v.Join(names(v, v.rules.Signatories(m, v.Now))))})
	case m.Unsigned:
		fs = append(fs, field{msgCardSigned, v.T(msgCardUnsigned)})
	case m.Signatory != "" && m.Delegated:
		fs = append(fs, field{msgCardSigned, v.Member(m.Signatory) + " " + v.Date(m.SignedOn) + " " + v.T(msgCardDelegated)})
	case m.Signatory != "":
		fs = append(fs, field{msgCardSigned, v.Member(m.Signatory) + " " + v.Date(m.SignedOn)})
	}
	if m.Category != "" {
		fs = append(fs, field{msgCardCategory, m.Category})
	}
	if !m.AnswerBy.IsZero() {
		fs = append(fs, field{msgCardAnswerBy, v.Date(m.AnswerBy)})
	}
	if m.Assignment != nil {
		fs = append(fs, field{msgCardDeadline, v.Date(m.Assignment.Deadline)})
	}
	var texts []string
	for _, f := range fs {
		texts = append(texts, "*"+v.T(f.label)+"*\n"+blockkit.Escape(f.value))
	}
	return blockkit.Fields(texts...)
}

// cardTexts are the matter's long texts, each cut with a pointer to the ledger.
func (v *view) cardTexts(m *briefbot.Matter) []blockkit.Block {
	var blocks []blockkit.Block
	for _, t := range []struct {
		label text
		s     string
	}{{msgCardItem, m.RequestedItem}, {msgCardReasons, m.Reasons}, {msgCardRecommend, m.Recommendation}, {msgCardBody, m.Body}} {
		if strings.TrimSpace(t.s) != "" {
			body := blockkit.Cut(t.s, maxCardText, v.T(msgCardCut, m.Number))
			blocks = append(blocks, blockkit.Section("*"+v.T(t.label)+"*\n"+blockkit.Escape(body)))
		}
	}
	return blocks
}

// cardRefs are the first report, related matters, attachments and restricted list.
func (v *view) cardRefs(m *briefbot.Matter) string {
	var refs []string
	if !m.FollowUpOf.IsZero() {
		refs = append(refs, v.T(msgCardFollowUp)+"："+m.FollowUpOf.String())
	}
	if len(m.Related) > 0 {
		var ns []string
		for _, r := range m.Related {
			ns = append(ns, r.String())
		}
		refs = append(refs, v.T(msgCardRelated)+"："+strings.Join(ns, " "))
	}
	if len(m.Attachments) > 0 {
		refs = append(refs, v.T(msgCardAttach)+"："+blockkit.Escape(strings.Join(m.Attachments, " ")))
	}

	if m.LevelSkip {
		refs = append(refs, v.T(msgCardLevelSkip, v.Committee(m.SkippedBody), blockkit.Escape(blockkit.OneLine(m.LevelSkipReason))))
	}
	if len(m.Restricted) > 0 {
		var ns []string
		for _, r := range m.Restricted {
			ns = append(ns, v.Member(r))
		}
		refs = append(refs, v.T(msgCardRestricted)+"："+blockkit.Escape(v.Join(ns)))
	}
	return strings.Join(refs, "\n")
}

// cardInstructions lists the 批示 and 圈阅, with who recorded them.
func (v *view) cardInstructions(m *briefbot.Matter) blockkit.Block {
	var lines []string
	for _, in := range m.Instructions {
		line := fmt.Sprintf("%s %s %s", v.DateTime(in.At), blockkit.Escape(v.Who(in.Leader, in.RecordedBy)), in.Kind.Action().Label(v.Lang))
		if in.Text != "" {
			line += "：" + blockkit.Escape(blockkit.OneLine(in.Text))
		}
		lines = append(lines, line)
	}
	return blockkit.Section("*" + v.T(msgCardInstr) + "*\n" + blockkit.Cut(strings.Join(lines, "\n"), maxCardText, v.T(msgCardCut, m.Number)))
}

// cardHistory lists the latest steps of the matter's life.
func (v *view) cardHistory(m *briefbot.Matter) string {
	hist := m.History
	var lines []string
	if n := len(hist) - maxCardHistory; n > 0 {
		lines = append(lines, v.T(msgCardMoreHistory, n))
		hist = hist[n:]
	}
	for _, ev := range hist {
		who := v.Member(ev.Actor)
		if ev.OnBehalfOf != "" {
			who = v.Who(ev.OnBehalfOf, ev.Actor)
		}
		line := fmt.Sprintf("%s %s %s → %s", v.DateTime(ev.At), blockkit.Escape(who), ev.Action.Label(v.Lang), ev.To.Label(v.Lang))
		if ev.Reason != "" {
			line += "：" + blockkit.Escape(blockkit.Cut(blockkit.OneLine(ev.Reason), 200, "…"))
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// names are the members' names in v's language.
func names(v *view, ids []briefbot.MemberID) []string {
	var out []string
	for _, id := range ids {
		out = append(out, v.Member(id))
	}
	return out
}
