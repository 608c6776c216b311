package bot

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
	"github.com/slack-go/slack"
)

// callbackIntake is the callback_id of the intake modal.
const callbackIntake = "intake"

// intakeMeta is what the intake modal carries in private_metadata.
type intakeMeta struct {
	Kind  briefbot.Kind `json:"k"`
	Draft bool          `json:"d,omitempty"` // a member's draft, for the department's heads to submit
}

// intakeModal builds the intake form for kind, with every field of the vocabulary that
// applies to it. Block IDs and action IDs are the briefbot.Field* names, so intake
// problems map straight onto the blocks that show them.
func (v *view) intakeModal(kind briefbot.Kind) slack.ModalViewRequest {
	org := &v.dir.Org
	heads := org.HeadOf(v.me.ID)
	drafting := len(heads) == 0 // a member drafting for the heads (Command checked it is allowed)
	if drafting {
		heads = org.DepartmentsOf(v.me.ID)
	}
	meta, _ := json.Marshal(intakeMeta{Kind: kind, Draft: drafting})
	var blocks []slack.Block
	input := func(field string, el slack.BlockElement, optional bool) {
		b := slack.NewInputBlock(field, plain(cut(v.tr(fieldLabels[field]), maxLabel, "…")), nil, el)
		b.Optional = optional
		blocks = append(blocks, b)
	}
	opt := func(value, label string) *slack.OptionBlockObject {
		return slack.NewOptionBlockObject(value, plain(cut(label, maxOptionText, "…")), nil)
	}
	selectOf := func(field string, opts []*slack.OptionBlockObject, initial string) *slack.SelectBlockElement {
		s := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, field, opts...)
		for _, o := range opts {
			if o.Value == initial {
				s.InitialOption = o
			}
		}
		return s
	}
	textInput := func(field string, multiline bool, max int) *slack.PlainTextInputBlockElement {
		e := slack.NewPlainTextInputBlockElement(nil, field)
		e.Multiline = multiline
		e.MaxLength = max
		return e
	}
	datePicker := func(field string, initial time.Time) *slack.DatePickerBlockElement {
		d := slack.NewDatePickerBlockElement(field)
		if !initial.IsZero() {
			d.InitialDate = initial.In(v.loc).Format("2006-01-02")
		}
		return d
	}

	// The kind switch: changing it rebuilds the modal for the new kind (views.update).
	var kinds []*slack.OptionBlockObject
	for _, k := range briefbot.Kinds {
		kinds = append(kinds, opt(string(k), k.Label(v.lang)))
	}
	blocks = append(blocks, slack.NewActionBlock("kind_switch", selectOf(actionIntakeKind, kinds, string(kind))))

	if kind == briefbot.KindReport {
		var types []*slack.OptionBlockObject
		for _, t := range briefbot.ReportTypes {
			types = append(types, opt(string(t), t.Label(v.lang)))
		}
		input(briefbot.FieldReportType, selectOf(briefbot.FieldReportType, types, ""), false)
		input(briefbot.FieldFollowUpOf, textInput(briefbot.FieldFollowUpOf, false, 20), true)
	}
	input(briefbot.FieldTitle, textInput(briefbot.FieldTitle, false, v.dir.Intake.MaxTitle), false)
	if kind == briefbot.KindRequest {
		input(briefbot.FieldRequestedItem, textInput(briefbot.FieldRequestedItem, true, min(v.dir.Intake.MaxField, 3000)), false)
		input(briefbot.FieldReasons, textInput(briefbot.FieldReasons, true, min(v.dir.Intake.MaxField, 3000)), false)
		input(briefbot.FieldRecommendation, textInput(briefbot.FieldRecommendation, true, min(v.dir.Intake.MaxField, 3000)), false)
	}
	input(briefbot.FieldBody, textInput(briefbot.FieldBody, true, 3000), kind == briefbot.KindRequest)

	var depts, signatories []*slack.OptionBlockObject
	seen := map[briefbot.MemberID]bool{}
	for _, d := range heads {
		depts = append(depts, opt(d.ID, d.Name))
		if !seen[d.Principal] {
			seen[d.Principal] = true
			signatories = append(signatories, opt(string(d.Principal), v.member(d.Principal)))
		}
	}
	first := func(opts []*slack.OptionBlockObject) string {
		if len(opts) > 0 {
			return opts[0].Value
		}
		return ""
	}
	if len(depts) == 0 { // not a head: the form still renders; submission is refused
		depts = append(depts, opt("-", v.tr(msgNone)))
		signatories = append(signatories, opt("-", v.tr(msgNone)))
	}
	input(briefbot.FieldDepartment, selectOf(briefbot.FieldDepartment, depts, first(depts)), false)
	input(briefbot.FieldSignatory, selectOf(briefbot.FieldSignatory, signatories, first(signatories)), false)
	input(briefbot.FieldSignedOn, datePicker(briefbot.FieldSignedOn, v.now), false)

	var decisions, urgencies, committees []*slack.OptionBlockObject
	for _, d := range briefbot.DecisionMethods {
		decisions = append(decisions, opt(string(d), d.Label(v.lang)))
	}
	for _, u := range briefbot.Urgencies {
		urgencies = append(urgencies, opt(string(u), u.Label(v.lang)))
	}
	for _, c := range org.Committees {
		committees = append(committees, opt(c.ID, v.committee(c.ID)))
	}
	input(briefbot.FieldDecision, selectOf(briefbot.FieldDecision, decisions, string(briefbot.DecisionCollective)), false)
	input(briefbot.FieldUrgency, selectOf(briefbot.FieldUrgency, urgencies, string(briefbot.UrgencyOrdinary)), false)
	input(briefbot.FieldAddressee, selectOf(briefbot.FieldAddressee, committees, ""), false)
	input(briefbot.FieldCopied, slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, nil, briefbot.FieldCopied, committees...), true)
	if cats := v.dir.Intake.Categories; len(cats) > 0 {
		var os []*slack.OptionBlockObject
		for _, c := range cats[:min(len(cats), maxOptions)] {
			os = append(os, opt(c, c))
		}
		input(briefbot.FieldCategory, selectOf(briefbot.FieldCategory, os, ""), true)
	}
	if kind == briefbot.KindRequest {
		input(briefbot.FieldAnswerBy, datePicker(briefbot.FieldAnswerBy, time.Time{}), true)
	}
	input(briefbot.FieldRelated, textInput(briefbot.FieldRelated, false, 300), true)
	input(briefbot.FieldAttachments, textInput(briefbot.FieldAttachments, true, 3000), true)
	var members []*slack.OptionBlockObject
	for _, m := range org.Members[:min(len(org.Members), maxOptions)] {
		members = append(members, opt(string(m.ID), m.Name))
	}
	input(briefbot.FieldRestricted, slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, nil, briefbot.FieldRestricted, members...), true)
	if v.dir.Intake.AllowLevelSkip {
		input(briefbot.FieldLevelSkip, textInput(briefbot.FieldLevelSkip, true, 1000), true)
	}
	input(briefbot.FieldUnclassified, slack.NewCheckboxGroupsBlockElement(briefbot.FieldUnclassified, opt("yes", v.tr(msgUnclassifiedOption))), false)

	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      callbackIntake,
		Title:           plain(v.tr(msgModalTitle)),
		Submit:          plain(v.tr(msgModalSubmit)),
		Close:           plain(v.tr(msgModalClose)),
		PrivateMetadata: string(meta),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// Submission is a submitted modal.
type Submission struct {
	User            User
	CallbackID      string
	PrivateMetadata string
	ViewID          string
	Values          map[string]map[string]slack.BlockAction
}

// SubmissionResult answers a submitted modal: problems to show next to their fields
// (the modal stays open), or nothing (the modal closes).
type SubmissionResult struct {
	Errors map[string]string
}

// Submit handles a submitted modal. For the intake form: the matter is read from the
// form, checked against the intake rules, stored (durably) and only then acknowledged
// with a receipt to the submitter. A repeated submission of the same view stores
// nothing new.
func (b *Bot) Submit(ctx context.Context, s Submission) SubmissionResult {
	me, dir, ok := b.who(s.User)
	if !ok {
		return SubmissionResult{Errors: map[string]string{briefbot.FieldTitle: tr(dir.Lang, msgUnknownUser)}}
	}
	v := b.frame(me, dir)
	switch s.CallbackID {
	case callbackInstruct:
		return b.submitInstruction(ctx, v, s)
	case callbackStep:
		return b.submitStep(ctx, v, s)
	case callbackIntake:
	default:
		return SubmissionResult{}
	}
	var meta intakeMeta
	_ = json.Unmarshal([]byte(s.PrivateMetadata), &meta)
	m, problems := v.matterFromForm(meta.Kind, s.Values)
	if len(problems) == 0 && meta.Draft {
		return b.saveDraft(ctx, v, m, s.ViewID)
	}
	if len(problems) == 0 {
		v.defaultAnswerBy(m)
		if err := v.checkSubmitter(m); err != nil {
			problems = fieldErrors(err, v.lang)
		} else if err := briefbot.CheckIntake(m, &dir.Org, dir.Intake, v.now); err != nil {
			problems = fieldErrors(err, v.lang)
		}
	}
	if len(problems) > 0 {
		return SubmissionResult{Errors: problems}
	}
	key := ""
	if s.ViewID != "" {
		key = "view:" + s.ViewID
	}
	started := time.Now()
	res, err := b.store.Submit(ctx, m, store.Delivery{Key: key, Notes: b.submitNotes(v)})
	b.metrics.intake(string(m.Kind), outcome(res, err), started)
	if err != nil {
		if fs := fieldErrors(err, v.lang); len(fs) > 0 && briefbot.ErrorCode(err) != briefbot.EINTERNAL {
			return SubmissionResult{Errors: fs}
		}
		msg := b.errorMessage(err, v.lang, "submit")
		return SubmissionResult{Errors: map[string]string{briefbot.FieldTitle: msg.Text}}
	}
	b.receipt(ctx, v, res)
	return SubmissionResult{}
}

// checkSubmitter refuses a submission for a department the member does not head.
func (v *view) checkSubmitter(m *briefbot.Matter) error {
	if !v.dir.Org.Allowed(v.me.ID, briefbot.PermSubmit, m) {
		return &briefbot.Error{Code: briefbot.EFORBIDDEN, Reason: "not_head", Msg: briefbot.Text(msgNotHead),
			Fields: []briefbot.FieldError{{Field: briefbot.FieldDepartment, Msg: briefbot.Text(msgNotHead)}}}
	}
	return nil
}

// receipt follows a submission: its receipt (and any alert) is already in the outbox,
// written with the matter, so the deliverer is kicked; a repeated submission gets a
// short note instead.
func (b *Bot) receipt(ctx context.Context, v *view, res store.Result) {
	if !res.Duplicate {
		(*b.kick.Load())()
		return
	}
	if _, err := b.poster.PostDM(ctx, v.me, textMessage(v.tr(msgDuplicate, res.Matter.Number))); err != nil {
		b.log.Error("post duplicate note", "number", res.Matter.Number.String(), "err", err)
	}
}

// fieldErrors maps intake problems onto the form's blocks. Problems about fields the
// form does not show go on the title.
func fieldErrors(err error, lang briefbot.Lang) map[string]string {
	out := map[string]string{}
	fs := briefbot.ErrorFields(err)
	if len(fs) == 0 && err != nil {
		fs = []briefbot.FieldError{{Field: briefbot.FieldTitle, Msg: briefbot.Text{ZH: briefbot.ErrorMessage(err, briefbot.LangZH), EN: briefbot.ErrorMessage(err, briefbot.LangEN)}}}
	}
	for _, f := range fs {
		field := f.Field
		if _, shown := fieldLabels[field]; !shown || field == briefbot.FieldKind || field == briefbot.FieldSubmitter {
			field = briefbot.FieldTitle
		}
		msg := f.Msg.In(lang)
		if prev, ok := out[field]; ok && !strings.Contains(prev, msg) {
			msg = prev + " " + msg
		}
		out[field] = cut(msg, maxLabel, "…")
	}
	return out
}

// matterFromForm reads the intake form. Values that cannot be read (a malformed ledger
// number) come back as problems by block.
func (v *view) matterFromForm(kind briefbot.Kind, values map[string]map[string]slack.BlockAction) (*briefbot.Matter, map[string]string) {
	problems := map[string]string{}
	get := func(field string) slack.BlockAction { return values[field][field] }
	str := func(field string) string { return strings.TrimSpace(get(field).Value) }
	sel := func(field string) string {
		a := get(field)
		if a.SelectedOption.Value != "" {
			return a.SelectedOption.Value
		}
		return ""
	}
	multi := func(field string) []string {
		var out []string
		for _, o := range get(field).SelectedOptions {
			out = append(out, o.Value)
		}
		return out
	}
	date := func(field string, hour int) time.Time {
		s := get(field).SelectedDate
		if s == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", s, v.loc)
		if err != nil {
			problems[field] = v.tr(msgDMBadDate)
			return time.Time{}
		}
		return t.Add(time.Duration(hour) * time.Hour)
	}
	number := func(field, s string) briefbot.Number {
		n, err := briefbot.ParseNumber(s)
		if err != nil {
			problems[field] = briefbot.ErrorMessage(err, v.lang)
		}
		return n
	}
	if !kind.Valid() {
		kind = briefbot.KindRequest
	}
	m := &briefbot.Matter{
		Kind:            kind,
		ReportType:      briefbot.ReportType(sel(briefbot.FieldReportType)),
		Title:           str(briefbot.FieldTitle),
		Body:            str(briefbot.FieldBody),
		RequestedItem:   str(briefbot.FieldRequestedItem),
		Reasons:         str(briefbot.FieldReasons),
		Recommendation:  str(briefbot.FieldRecommendation),
		Department:      sel(briefbot.FieldDepartment),
		Submitter:       v.me.ID,
		Signatory:       briefbot.MemberID(sel(briefbot.FieldSignatory)),
		SignedOn:        date(briefbot.FieldSignedOn, 0),
		Decision:        briefbot.DecisionMethod(sel(briefbot.FieldDecision)),
		Urgency:         briefbot.Urgency(sel(briefbot.FieldUrgency)),
		Addressee:       sel(briefbot.FieldAddressee),
		Copied:          multi(briefbot.FieldCopied),
		Category:        sel(briefbot.FieldCategory),
		AnswerBy:        date(briefbot.FieldAnswerBy, 18),
		LevelSkipReason: str(briefbot.FieldLevelSkip),
	}
	m.LevelSkip = m.LevelSkipReason != ""
	if s := str(briefbot.FieldFollowUpOf); s != "" {
		m.FollowUpOf = number(briefbot.FieldFollowUpOf, s)
	}
	for _, w := range strings.FieldsFunc(str(briefbot.FieldRelated), func(r rune) bool { return r == ' ' || r == ',' || r == '，' || r == '、' || r == ';' }) {
		m.Related = append(m.Related, number(briefbot.FieldRelated, w))
	}
	for _, l := range strings.Split(str(briefbot.FieldAttachments), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			m.Attachments = append(m.Attachments, l)
		}
	}
	for _, r := range multi(briefbot.FieldRestricted) {
		m.Restricted = append(m.Restricted, briefbot.MemberID(r))
	}
	for _, o := range multi(briefbot.FieldUnclassified) {
		m.Unclassified = m.Unclassified || o == "yes"
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return m, nil
}

// defaultAnswerBy gives a request without an answer deadline the configured answer
// limit, so a request left unanswered is flagged overdue and chased like any other.
func (v *view) defaultAnswerBy(m *briefbot.Matter) {
	if m.Kind != briefbot.KindRequest || !m.AnswerBy.IsZero() {
		return
	}
	d := v.now.In(v.loc).AddDate(0, 0, v.dir.AnswerLimit)
	if v.dir.AddWorkingDays != nil {
		d = v.dir.AddWorkingDays(v.now.In(v.loc), v.dir.AnswerLimit)
	}
	y, mo, day := d.Date()
	m.AnswerBy = time.Date(y, mo, day, 18, 0, 0, 0, v.loc)
}

// outcome names what became of a submission, for the metrics.
func outcome(res store.Result, err error) string {
	switch {
	case err != nil:
		return "refused"
	case res.Duplicate:
		return "duplicate"
	}
	return "stored"
}
