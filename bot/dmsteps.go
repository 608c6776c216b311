package bot

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
)

// The questions of the DM intake: for each kind, the fields the intake form asks for
// that kind, grouped as the form groups them (what, from whom, to whom), the secrecy
// declaration last.

// dmStep asks for one field of the matter, reads the answer into it and shows it in
// the summary.
type dmStep struct {
	field string
	label text // how the summary names the answer
	// when says whether the step applies to m (nil: always). A step that stops
	// applying must have had its field cleared by the step that decided it.
	when   func(m *briefbot.Matter) bool
	prompt func(v *view, m *briefbot.Matter) string
	// read sets the field on m (a copy, kept only if the rules accept the answer), or
	// says why the answer cannot be read at all. The rules' own checks come after.
	read func(v *view, m *briefbot.Matter, answer string) error
	// show is the answer for the summary (unescaped; “none” for none).
	show func(v *view, m *briefbot.Matter) string
}

func (st dmStep) applies(m *briefbot.Matter) bool { return st.when == nil || st.when(m) }

// dmSteps lists the questions for kind. chooseDept: v.me heads several departments.
//
//	请示: title, matter requested, reasons, recommendation, body (optional),
//	      [department], signing date, decision method, urgency, addressee, copies,
//	      [category], answer deadline, related, attachments, restricted, [level skip],
//	      declaration.
//	报告: title, report type, [first report, for a 续报], body, [department], signing
//	      date, urgency, addressee, copies, [category], related, attachments,
//	      restricted, [level skip], declaration.
//	报备: as a report, without report type and first report.
//
// Only a request asks the decision method; reports and filings keep the default the
// form also starts from (集体研究). The signatory is never asked: it must be the
// department's principal, and the summary shows it.
func (v *view) dmSteps(kind briefbot.Kind, chooseDept bool) []dmStep {
	steps := []dmStep{textStep(briefbot.FieldTitle, fieldLabels[briefbot.FieldTitle], msgDMAskTitle, false, func(m *briefbot.Matter) *string { return &m.Title })}
	switch kind {
	case briefbot.KindRequest:
		steps = append(steps,
			textStep(briefbot.FieldRequestedItem, msgCardItem, msgDMAskItem, false, func(m *briefbot.Matter) *string { return &m.RequestedItem }),
			textStep(briefbot.FieldReasons, msgCardReasons, msgDMAskReasons, false, func(m *briefbot.Matter) *string { return &m.Reasons }),
			textStep(briefbot.FieldRecommendation, msgCardRecommend, msgDMAskRecommend, false, func(m *briefbot.Matter) *string { return &m.Recommendation }))
	case briefbot.KindReport:
		steps = append(steps, reportTypeStep, followUpStep)
	}
	steps = append(steps, textStep(briefbot.FieldBody, msgCardBody, msgDMAskBody, kind == briefbot.KindRequest, func(m *briefbot.Matter) *string { return &m.Body }))
	if chooseDept {
		steps = append(steps, deptStep)
	}
	if kind == briefbot.KindRequest {
		steps = append(steps, decisionStep)
	}
	steps = append(steps, urgencyStep, addresseeStep, copiedStep)
	if len(v.rules.Intake.Categories) > 0 {
		steps = append(steps, categoryStep)
	}
	if kind == briefbot.KindRequest {
		steps = append(steps, answerByStep)
	}
	steps = append(steps, relatedStep, attachmentsStep)
	if v.files {
		steps = append(steps, filesStep)
	}
	steps = append(steps, restrictedStep)
	if v.rules.Intake.AllowLevelSkip {
		steps = append(steps, skippedBodyStep, levelSkipStep)
	}
	return append(steps, declareStep)
}

// choice is one numbered option in a DM question.
type choice struct{ value, label string }

// ask is a question: q, whether “none” skips it, and its numbered options with how to
// choose among them.
func (v *view) ask(q text, skippable bool, how text, opts []choice) string {
	var b strings.Builder
	b.WriteString(v.T(q))
	if skippable {
		b.WriteString(v.T(msgDMSkip))
	}
	if len(opts) > 0 {
		b.WriteString("\n" + v.T(how))
		for i, o := range opts {
			fmt.Fprintf(&b, "\n%d. %s", i+1, blockkit.Escape(o.label))
		}
	}
	return b.String()
}

// pick reads one choice: its number, or its label or value typed out.
func pick(opts []choice, answer string) (string, bool) {
	answer = strings.TrimSpace(answer)
	n, err := strconv.Atoi(answer)
	if err == nil && n >= 1 && n <= len(opts) {
		return opts[n-1].value, true
	}
	for _, o := range opts {
		if strings.EqualFold(answer, o.label) || strings.EqualFold(answer, o.value) {
			return o.value, true
		}
	}
	return "", false
}

// splitList splits a list answer at spaces, line breaks, commas, 、 and semicolons.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(",，、;；", r) })
}

// pickMany reads several choices (numbers, labels or values, in a list), each once;
// bad is the first item that is none of them.
func pickMany(opts []choice, answer string) (vals []string, bad string) {
	if val, ok := pick(opts, answer); ok { // one label with spaces in it
		return []string{val}, ""
	}
	for _, w := range splitList(answer) {
		val, ok := pick(opts, w)
		if !ok {
			return nil, w
		}
		if !slices.Contains(vals, val) {
			vals = append(vals, val)
		}
	}
	return vals, ""
}

func labelOf(opts []choice, value string) string {
	for _, o := range opts {
		if o.value == value {
			return o.label
		}
	}
	return value
}

// orNone is s, or “none”.
func (v *view) orNone(s string) string {
	if s == "" {
		return v.None()
	}
	return s
}

// Reasons of the DM conversation's own refusals.
const (
	reasonChoice      briefbot.Reason = "choice"
	reasonDate        briefbot.Reason = "date"
	reasonYesNo       briefbot.Reason = "yes_no"
	reasonNotDeclared briefbot.Reason = "not_declared"
	reasonNoMember    briefbot.Reason = "no_member"
)

var (
	errBadChoice = briefbot.Errorf(briefbot.EINVALID, reasonChoice, msgDMBadChoice)
	errBadDate   = briefbot.Errorf(briefbot.EINVALID, reasonDate, msgDMBadDate)
)

// textStep asks for a free text. A required one takes the answer as it is (the rules
// refuse a blank one); an optional one is skipped with “none”.
func textStep(field string, label, q text, optional bool, at func(m *briefbot.Matter) *string) dmStep {
	return dmStep{field: field, label: label,
		prompt: func(v *view, m *briefbot.Matter) string { return v.ask(q, optional, text{}, nil) },
		read: func(_ *view, m *briefbot.Matter, s string) error {
			if optional && isSkip(s) {
				s = ""
			}
			*at(m) = s
			return nil
		},
		show: func(v *view, m *briefbot.Matter) string { return v.orNone(*at(m)) }}
}

// choiceStep asks for one of opts; an optional one is skipped with “none”.
func choiceStep(field string, label, q text, optional bool, opts func(v *view) []choice, set func(v *view, m *briefbot.Matter, val string), get func(m *briefbot.Matter) string) dmStep {
	return dmStep{field: field, label: label,
		prompt: func(v *view, m *briefbot.Matter) string { return v.ask(q, optional, msgDMChoose, opts(v)) },
		read: func(v *view, m *briefbot.Matter, s string) error {
			if optional && isSkip(s) {
				set(v, m, "")
				return nil
			}
			val, ok := pick(opts(v), s)
			if !ok {
				return errBadChoice
			}
			set(v, m, val)
			return nil
		},
		show: func(v *view, m *briefbot.Matter) string { return v.orNone(labelOf(opts(v), get(m))) }}
}

// parseDate reads a date typed as 2026-03-09, 2026-3-9, 2026/3/9, 2026.3.9 or
// 2026年3月9日, at the start of its day in the rules' zone.
func (v *view) parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-1-2", "2006/1/2", "2006.1.2", "2006年1月2日"} {
		if t, err := time.ParseInLocation(layout, s, v.rules.Loc()); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// slackLinks undoes how Slack sends links typed in a message (<https://a|label>, with
// &amp; for &), so a link reads as the member typed it.
var slackLinks = regexp.MustCompile(`<((?:https?|ftp|mailto)[^|>]*)(?:\|[^>]*)?>`)

var slackUnescape = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

func committeeChoices(v *view) []choice {
	var cs []choice
	for _, c := range v.rules.Org.Committees {
		cs = append(cs, choice{string(c.ID), v.Committee(c.ID)})
	}
	return cs
}

// dmListMembers is the most members the restricted-circulation question lists by
// number; a larger organisation answers with names.
const dmListMembers = 50

func memberChoices(v *view) []choice {
	var cs []choice
	for _, m := range v.rules.Org.Members {
		cs = append(cs, choice{string(m.ID), m.Name})
	}
	return cs
}

var (
	reportTypeStep = choiceStep(briefbot.FieldReportType, fieldLabels[briefbot.FieldReportType], msgDMAskType, false, func(v *view) []choice {
		var cs []choice
		for _, t := range briefbot.ReportTypes {
			cs = append(cs, choice{string(t), t.Label(v.Lang)})
		}
		return cs
	}, func(_ *view, m *briefbot.Matter, val string) {
		m.ReportType = briefbot.ReportType(val)
		if m.ReportType != briefbot.ReportFollowUp {
			m.FollowUpOf = briefbot.Number{} // only a 续报 names a first report
		}
	}, func(m *briefbot.Matter) string { return string(m.ReportType) })

	// followUpStep asks a 续报 for its first report: required (a “none” is refused by
	// the rules with their reason), a report, one the submitter may see.
	followUpStep = dmStep{field: briefbot.FieldFollowUpOf, label: msgCardFollowUp,
		when:   func(m *briefbot.Matter) bool { return m.ReportType == briefbot.ReportFollowUp },
		prompt: func(v *view, m *briefbot.Matter) string { return v.ask(msgDMAskFirst, false, text{}, nil) },
		read: func(v *view, m *briefbot.Matter, s string) error {
			m.FollowUpOf = briefbot.Number{}
			if isSkip(s) {
				return nil
			}
			n, err := briefbot.ParseNumber(s)
			m.FollowUpOf = n
			return err
		},
		show: func(v *view, m *briefbot.Matter) string { return m.FollowUpOf.String() }}

	deptStep = choiceStep(briefbot.FieldDepartment, msgCardDept, msgDMAskDept, false, func(v *view) []choice {
		var cs []choice
		for _, d := range v.rules.Org.HeadOf(v.me.ID) {
			cs = append(cs, choice{string(d.ID), v.Dept(d.ID)})
		}
		return cs
	}, func(v *view, m *briefbot.Matter, val string) {
		m.Department = briefbot.DepartmentID(val)
	}, func(m *briefbot.Matter) string { return string(m.Department) })

	decisionStep = choiceStep(briefbot.FieldDecision, fieldLabels[briefbot.FieldDecision], msgDMAskDecision, false, func(v *view) []choice {
		var cs []choice
		for _, d := range briefbot.DecisionMethods {
			cs = append(cs, choice{string(d), d.Label(v.Lang)})
		}
		return cs
	}, func(_ *view, m *briefbot.Matter, val string) { m.Decision = briefbot.DecisionMethod(val) },
		func(m *briefbot.Matter) string { return string(m.Decision) })

	urgencyStep = choiceStep(briefbot.FieldUrgency, msgCardUrgency, msgDMAskUrgency, false, func(v *view) []choice {
		var cs []choice
		for _, u := range briefbot.Urgencies {
			cs = append(cs, choice{string(u), u.Label(v.Lang)})
		}
		return cs
	}, func(_ *view, m *briefbot.Matter, val string) { m.Urgency = briefbot.Urgency(val) },
		func(m *briefbot.Matter) string { return string(m.Urgency) })

	addresseeStep = choiceStep(briefbot.FieldAddressee, msgCardTo, msgDMAskTo, false, committeeChoices,
		func(_ *view, m *briefbot.Matter, val string) { m.Addressee = briefbot.CommitteeID(val) },
		func(m *briefbot.Matter) string { return string(m.Addressee) })

	// copiedStep asks for the copied committees, by number: the rules refuse the
	// addressee and unknown ones.
	copiedStep = dmStep{field: briefbot.FieldCopied, label: msgCardCopied,
		prompt: func(v *view, m *briefbot.Matter) string {
			return v.ask(msgDMAskCopied, true, msgDMChooseMany, committeeChoices(v))
		},
		read: func(v *view, m *briefbot.Matter, s string) error {
			m.Copied = nil
			if isSkip(s) {
				return nil
			}
			vals, bad := pickMany(committeeChoices(v), s)
			if bad != "" {
				return errBadChoice
			}
			for _, c := range vals {
				m.Copied = append(m.Copied, briefbot.CommitteeID(c))
			}
			m.CopySkipped() // a body passed over stays copied
			return nil
		},
		show: func(v *view, m *briefbot.Matter) string { return v.Committees(m.Copied) }}

	categoryStep = choiceStep(briefbot.FieldCategory, msgCardCategory, msgDMAskCategory, true, func(v *view) []choice {
		var cs []choice
		for _, c := range v.rules.Intake.Categories {
			cs = append(cs, choice{c, c})
		}
		return cs
	}, func(_ *view, m *briefbot.Matter, val string) { m.Category = val },
		func(m *briefbot.Matter) string { return m.Category })

	// answerByStep asks a request when it needs its answer: optional (the answer limit
	// then applies), a date that has not passed, at the end of its working day.
	answerByStep = dmStep{field: briefbot.FieldAnswerBy, label: msgCardAnswerBy,
		prompt: func(v *view, m *briefbot.Matter) string {
			return v.T(msgDMAskAnswerBy, v.Date(v.rules.AnswerDeadline(v.Now)))
		},
		read: func(v *view, m *briefbot.Matter, s string) error {
			m.AnswerBy = time.Time{}
			if isSkip(s) {
				return nil
			}
			t, ok := v.parseDate(s)
			if !ok {
				return errBadDate
			}
			m.AnswerBy = v.rules.EndOfDay(t)
			return nil
		},
		show: func(v *view, m *briefbot.Matter) string {
			if m.AnswerBy.IsZero() {
				return v.T(msgDMDefaultAnswerBy, v.Date(v.rules.AnswerDeadline(v.Now)))
			}
			return v.Date(m.AnswerBy)
		}}

	// relatedStep asks for related matters' numbers; dmCheck refuses one the
	// submitter may not see as one that does not exist.
	relatedStep = dmStep{field: briefbot.FieldRelated, label: msgCardRelated,
		prompt: func(v *view, m *briefbot.Matter) string { return v.ask(msgDMAskRelated, true, text{}, nil) },
		read: func(v *view, m *briefbot.Matter, s string) error {
			m.Related = nil
			if isSkip(s) {
				return nil
			}
			for _, w := range splitList(s) {
				n, err := briefbot.ParseNumber(w)
				if err != nil {
					return err
				}
				if !slices.Contains(m.Related, n) {
					m.Related = append(m.Related, n)
				}
			}
			return nil
		},
		show: func(v *view, m *briefbot.Matter) string {
			var ns []string
			for _, n := range m.Related {
				ns = append(ns, n.String())
			}
			return v.orNone(strings.Join(ns, " "))
		}}

	attachmentsStep = dmStep{field: briefbot.FieldAttachments, label: msgCardAttach,
		prompt: func(v *view, m *briefbot.Matter) string { return v.ask(msgDMAskAttach, true, text{}, nil) },
		read: func(v *view, m *briefbot.Matter, s string) error {
			m.Attachments = nil
			if isSkip(s) {
				return nil
			}
			for _, l := range strings.Fields(slackLinks.ReplaceAllString(s, "$1")) {
				m.Attachments = append(m.Attachments, slackUnescape.Replace(l))
			}
			return nil
		},
		show: func(v *view, m *briefbot.Matter) string { return v.orNone(strings.Join(m.Attachments, "\n")) }}

	// filesStep asks for the attached files: they are sent as files (dmFiles takes
	// them at any step); the answer to the question says it is done (“无”), or clears
	// what was sent (“清空”).
	filesStep = dmStep{field: briefbot.FieldFiles, label: msgCardFiles,
		prompt: func(v *view, m *briefbot.Matter) string {
			in := v.rules.Intake
			q := v.T(msgDMAskFiles, strings.Join(in.FileTypes, v.T(msgListSep)), briefbot.SizeText(in.MaxFileSize), in.MaxFiles)
			if len(m.Files) > 0 {
				q += "\n" + v.T(msgDMFilesGot) + "\n" + strings.Join(v.fileLines(m.Files), "\n")
			}
			return q
		},
		read: func(v *view, m *briefbot.Matter, s string) error {
			switch answerWord(s) {
			case "清空", "删除", "clear", "remove":
				m.Files = nil
				return nil
			case "好了", "好", "完成", "发完了", "done", "ok":
				return nil
			}
			if isSkip(s) {
				return nil
			}
			return briefbot.Errorf(briefbot.EINVALID, reasonChoice, msgDMFilesNone)
		},
		show: func(v *view, m *briefbot.Matter) string {
			var ls []string
			for _, f := range m.Files {
				ls = append(ls, blockkit.Cut(blockkit.OneLine(f.Name), maxFileShown, "…")+" ("+briefbot.SizeText(f.Size)+")")
			}
			return v.orNone(strings.Join(ls, "\n"))
		}}

	// restrictedStep asks who alone may see the matter: members by name (or id), or by
	// number where the organisation is small enough to list.
	restrictedStep = dmStep{field: briefbot.FieldRestricted, label: msgCardRestricted,
		prompt: func(v *view, m *briefbot.Matter) string {
			if cs := memberChoices(v); len(cs) <= dmListMembers {
				return v.ask(msgDMAskRestricted, true, msgDMChooseMembers, cs)
			}
			return v.ask(msgDMAskRestricted, true, text{}, nil)
		},
		read: func(v *view, m *briefbot.Matter, s string) error {
			m.Restricted = nil
			if isSkip(s) {
				return nil
			}
			cs := memberChoices(v)
			for _, w := range splitList(s) {
				id, ok := v.memberNamed(w)
				if n, err := strconv.Atoi(w); err == nil && len(cs) <= dmListMembers && n >= 1 && n <= len(cs) {
					id, ok = briefbot.MemberID(cs[n-1].value), true
				}
				if !ok && briefbot.HasClassificationMarking(w) { // never echoed
					return briefbot.Errorf(briefbot.EINVALID, reasonNoMember, msgDMUnknownMembers)
				}
				if !ok {
					return briefbot.Errorf(briefbot.EINVALID, reasonNoMember, text{
						ZH: fmt.Sprintf(msgDMUnknownMember.ZH, blockkit.Escape(w)), EN: fmt.Sprintf(msgDMUnknownMember.EN, blockkit.Escape(w))})
				}
				if !slices.Contains(m.Restricted, id) {
					m.Restricted = append(m.Restricted, id)
				}
			}
			return nil
		},
		show: func(v *view, m *briefbot.Matter) string {
			var ns []string
			for _, id := range m.Restricted {
				ns = append(ns, v.Member(id))
			}
			return v.Join(ns)
		}}

	skippedBodyStep = choiceStep(briefbot.FieldSkippedBody, fieldLabels[briefbot.FieldSkippedBody], msgDMAskSkippedBody, true, committeeChoices,
		func(v *view, m *briefbot.Matter, val string) {
			if prev := m.SkippedBody; prev != "" { // a changed answer: the old body is no longer copied for it
				m.Copied = slices.DeleteFunc(m.Copied, func(c briefbot.CommitteeID) bool { return c == prev })
			}
			m.SkippedBody = briefbot.CommitteeID(val)
			m.CopySkipped()
		}, func(m *briefbot.Matter) string { return string(m.SkippedBody) })

	levelSkipStep = dmStep{field: briefbot.FieldLevelSkip, label: fieldLabels[briefbot.FieldLevelSkip],
		prompt: func(v *view, m *briefbot.Matter) string { return v.ask(msgDMAskLevelSkip, true, text{}, nil) },
		read: func(v *view, m *briefbot.Matter, s string) error {
			if isSkip(s) {
				s = ""
			}
			m.LevelSkipReason = s
			m.CopySkipped()
			return nil
		},
		show: func(v *view, m *briefbot.Matter) string { return v.orNone(m.LevelSkipReason) }}

	// declareStep is the secrecy declaration: yes declares the content unclassified;
	// no ends the conversation (dmStepAnswer), with nothing kept.
	declareStep = dmStep{field: briefbot.FieldUnclassified, label: fieldLabels[briefbot.FieldUnclassified],
		prompt: func(v *view, m *briefbot.Matter) string { return v.T(msgDMAskDeclare) },
		read: func(v *view, m *briefbot.Matter, s string) error {
			switch answerWord(s) {
			case "是", "是的", "确认", "y", "yes":
				m.Unclassified = true
				return nil
			case "否", "不是", "不", "n", "no":
				return briefbot.Errorf(briefbot.EINVALID, reasonNotDeclared, msgDMNotDeclared)
			}
			return briefbot.Errorf(briefbot.EINVALID, reasonYesNo, msgDMYesNo)
		},
		show: func(v *view, m *briefbot.Matter) string { return v.T(msgDMDeclared) }}
)
