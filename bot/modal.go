package bot

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
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
	org := &v.rules.Org
	heads := org.HeadOf(v.me.ID)
	drafting := len(heads) == 0 // a member drafting for the heads (Command checked it is allowed)
	if drafting {
		heads = org.DepartmentsOf(v.me.ID)
	}
	meta, _ := json.Marshal(intakeMeta{Kind: kind, Draft: drafting})
	f := &form{v: v}
	f.kindSwitch(kind)
	f.content(kind)
	f.sender(heads)
	f.addressees(kind)
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      callbackIntake,
		Title:           plain(v.T(msgModalTitle)),
		Submit:          plain(v.T(msgModalSubmit)),
		Close:           plain(v.T(msgModalClose)),
		PrivateMetadata: string(meta),
		Blocks:          slack.Blocks{BlockSet: f.blocks},
	}
}

// form builds a modal's blocks.
type form struct {
	v      *view
	blocks []slack.Block
}

func (f *form) input(field string, el slack.BlockElement, optional bool) {
	b := slack.NewInputBlock(field, plain(blockkit.Cut(f.v.T(fieldLabels[field]), blockkit.MaxLabel, "…")), nil, el)
	b.Optional = optional
	f.blocks = append(f.blocks, b)
}

func option(value, label string) *slack.OptionBlockObject {
	return slack.NewOptionBlockObject(value, plain(blockkit.Cut(label, blockkit.MaxOptionText, "…")), nil)
}

func selectOf(field string, opts []*slack.OptionBlockObject, initial string) *slack.SelectBlockElement {
	s := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, field, opts...)
	for _, o := range opts {
		if o.Value == initial {
			s.InitialOption = o
		}
	}
	return s
}

func textInput(field string, multiline bool, max int) *slack.PlainTextInputBlockElement {
	e := slack.NewPlainTextInputBlockElement(nil, field)
	e.Multiline = multiline
	e.MaxLength = min(max, blockkit.MaxInputLength)
	return e
}

func (v *view) datePicker(field string, initial time.Time) *slack.DatePickerBlockElement {
	d := slack.NewDatePickerBlockElement(field)
	if !initial.IsZero() {
		d.InitialDate = v.Date(initial)
	}
	return d
}

// kindSwitch is the select that rebuilds the modal for another kind (views.update).
func (f *form) kindSwitch(kind briefbot.Kind) {
	var kinds []*slack.OptionBlockObject
	for _, k := range briefbot.Kinds {
		kinds = append(kinds, option(string(k), k.Label(f.v.Lang)))
	}
	f.blocks = append(f.blocks, slack.NewActionBlock("kind_switch", selectOf(actionIntakeKind, kinds, string(kind))))
}

// content is what the matter says: report type, title, the request's three parts, body.
func (f *form) content(kind briefbot.Kind) {
	in := f.v.rules.Intake
	if kind == briefbot.KindReport {
		var types []*slack.OptionBlockObject
		for _, t := range briefbot.ReportTypes {
			types = append(types, option(string(t), t.Label(f.v.Lang)))
		}
		f.input(briefbot.FieldReportType, selectOf(briefbot.FieldReportType, types, ""), false)
		f.input(briefbot.FieldFollowUpOf, textInput(briefbot.FieldFollowUpOf, false, 20), true)
	}
	f.input(briefbot.FieldTitle, textInput(briefbot.FieldTitle, false, in.MaxTitle), false)
	if kind == briefbot.KindRequest {
		f.input(briefbot.FieldRequestedItem, textInput(briefbot.FieldRequestedItem, true, in.MaxField), false)
		f.input(briefbot.FieldReasons, textInput(briefbot.FieldReasons, true, in.MaxField), false)
		f.input(briefbot.FieldRecommendation, textInput(briefbot.FieldRecommendation, true, in.MaxField), false)
	}
	f.input(briefbot.FieldBody, textInput(briefbot.FieldBody, true, blockkit.MaxInputLength), kind == briefbot.KindRequest)
}

// sender is who sends it: the department (those heads submits for), its principal
// as signatory, the signing date, the decision method and the urgency.
func (f *form) sender(heads []*briefbot.Department) {
	v := f.v
	var depts []*slack.OptionBlockObject
	for _, d := range heads {
		depts = append(depts, option(string(d.ID), d.Name))
	}
	if len(depts) == 0 { // not a head: the form still renders; submission is refused
		depts = append(depts, option("-", v.None()))
	}
	f.input(briefbot.FieldDepartment, selectOf(briefbot.FieldDepartment, depts, depts[0].Value), false)
	var decisions, urgencies []*slack.OptionBlockObject
	for _, d := range briefbot.DecisionMethods {
		decisions = append(decisions, option(string(d), d.Label(v.Lang)))
	}
	for _, u := range briefbot.Urgencies {
		urgencies = append(urgencies, option(string(u), u.Label(v.Lang)))
	}
	f.input(briefbot.FieldDecision, selectOf(briefbot.FieldDecision, decisions, string(briefbot.DecisionCollective)), false)
	f.input(briefbot.FieldUrgency, selectOf(briefbot.FieldUrgency, urgencies, string(briefbot.UrgencyOrdinary)), false)
}

// addressees is to whom and the rest: addressee, copies, category, answer deadline,
// related matters, attachments, restricted circulation, level skip, the declaration.
func (f *form) addressees(kind briefbot.Kind) {
	v := f.v
	org := &v.rules.Org
	var committees []*slack.OptionBlockObject
	for _, c := range org.Committees {
		committees = append(committees, option(string(c.ID), v.Committee(c.ID)))
	}
	f.input(briefbot.FieldAddressee, selectOf(briefbot.FieldAddressee, committees, ""), false)
	f.input(briefbot.FieldCopied, slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, nil, briefbot.FieldCopied, committees...), true)
	if cats := v.rules.Intake.Categories; len(cats) > 0 {
		var os []*slack.OptionBlockObject
		for _, c := range cats[:min(len(cats), blockkit.MaxOptions)] {
			os = append(os, option(c, c))
		}
		f.input(briefbot.FieldCategory, selectOf(briefbot.FieldCategory, os, ""), true)
	}
	if kind == briefbot.KindRequest {
		f.input(briefbot.FieldAnswerBy, v.datePicker(briefbot.FieldAnswerBy, time.Time{}), true)
	}
	f.input(briefbot.FieldRelated, textInput(briefbot.FieldRelated, false, 300), true)
	f.input(briefbot.FieldAttachments, textInput(briefbot.FieldAttachments, true, blockkit.MaxInputLength), true)
	if v.files {
		in := v.rules.Intake
		el := slack.NewFileInputBlockElement(briefbot.FieldFiles).WithFileTypes(in.FileTypes...).WithMaxFiles(min(in.MaxFiles, blockkit.MaxFileInputFiles))
		f.input(briefbot.FieldFiles, el, true)
	}
	var members []*slack.OptionBlockObject
	for _, m := range org.Members[:min(len(org.Members), blockkit.MaxOptions)] {
		members = append(members, option(string(m.ID), m.Name))
	}
	f.input(briefbot.FieldRestricted, slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, nil, briefbot.FieldRestricted, members...), true)
	if v.rules.Intake.AllowLevelSkip {
		var bodies []*slack.OptionBlockObject
		for _, c := range org.Committees {
			bodies = append(bodies, option(string(c.ID), v.Committee(c.ID)))
		}
		f.input(briefbot.FieldSkippedBody, selectOf(briefbot.FieldSkippedBody, bodies, ""), true)
		f.input(briefbot.FieldLevelSkip, textInput(briefbot.FieldLevelSkip, true, 1000), true)
	}
	f.input(briefbot.FieldUnclassified, slack.NewCheckboxGroupsBlockElement(briefbot.FieldUnclassified, option("yes", v.T(msgUnclassifiedOption))), false)
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
	// Message, when set, is for the user once the form has closed: what no field of
	// the form could carry.
	Message *blockkit.Message
}

// Submit handles a submitted modal. For the intake form: the matter is read from the
// form, checked against the intake rules, stored (durably) with its receipt and any
// alert, and only then acknowledged. A repeated submission of the same view stores
// nothing new and tells no one again.
func (b *Bot) Submit(ctx context.Context, s Submission) (res SubmissionResult) {
	defer b.recoverSubmit(s, &res)
	v, _, ok := b.who(s.User)
	if !ok {
		return SubmissionResult{Errors: map[string]string{briefbot.FieldTitle: msgUnknownUser.In(b.rules().LangOf(nil))}}
	}
	switch s.CallbackID {
	case callbackInstruct:
		return b.submitInstruction(ctx, v, s)
	case callbackStep:
		return b.submitStep(ctx, v, s)
	case callbackIntake:
		return b.submitIntake(ctx, v, s)
	}
	return SubmissionResult{}
}

func (b *Bot) submitIntake(ctx context.Context, v *view, s Submission) SubmissionResult {
	var meta intakeMeta
	_ = json.Unmarshal([]byte(s.PrivateMetadata), &meta)
	m, ups, problems := v.matterFromForm(meta.Kind, s.Values)
	if len(problems) > 0 {
		return SubmissionResult{Errors: problems}
	}
	if err := v.rules.CheckRefs(ctx, b.ledger, v.me.ID, m); err != nil {
		if briefbot.ErrorCode(err) == briefbot.EINTERNAL {
			return SubmissionResult{Errors: map[string]string{briefbot.FieldTitle: b.errorText(err, v.Lang, "submit")}}
		}
		return SubmissionResult{Errors: fieldErrors(err, v.Lang)}
	}
	d := briefbot.Delivery{Key: viewKey(s.ViewID)}
	check := v.rules.CheckSubmission
	if meta.Draft {
		check = v.rules.CheckDraft
	}
	if err := check(v.me.ID, m, v.Now); err != nil {
		return SubmissionResult{Errors: fieldErrors(err, v.Lang)}
	}
	// Only a matter with nothing else wrong has its files fetched, and they are kept
	// only now, just before the ledger write.
	if err := b.attach(ctx, v, m, ups); err != nil {
		if briefbot.ErrorCode(err) == briefbot.EINTERNAL {
			return SubmissionResult{Errors: map[string]string{briefbot.FieldFiles: b.errorText(err, v.Lang, "attach")}}
		}
		return SubmissionResult{Errors: fieldErrors(err, v.Lang)}
	}
	if meta.Draft {
		return b.saveDraft(ctx, v, m, d)
	}
	res, asked, err := b.submitNew(ctx, v, m, d)
	if err != nil {
		if fs := fieldErrors(err, v.Lang); len(fs) > 0 && briefbot.ErrorCode(err) != briefbot.EINTERNAL {
			return SubmissionResult{Errors: fs}
		}
		return SubmissionResult{Errors: map[string]string{briefbot.FieldTitle: b.errorText(err, v.Lang, "submit")}}
	}
	if asked && !res.Duplicate { // no receipt yet: say where it went
		msg := blockkit.Text(v.askedSignOff(res.Matter))
		return SubmissionResult{Message: &msg}
	}
	return SubmissionResult{}
}

// viewKey is the delivery key of a submitted view ("" without a view id: the console).
func viewKey(viewID string) string {
	if viewID == "" {
		return ""
	}
	return "view:" + viewID
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
		out[field] = blockkit.Cut(msg, blockkit.MaxLabel, "…")
	}
	return out
}

// matterFromForm reads the intake form, with the files attached to it as they declare
// themselves (fetched only once the matter passes its checks). Values that cannot be
// read (a malformed ledger number) come back as problems by block.
func (v *view) matterFromForm(kind briefbot.Kind, values map[string]map[string]slack.BlockAction) (*briefbot.Matter, []Upload, map[string]string) {
	f := &formValues{v: v, values: values, problems: map[string]string{}}
	if !kind.Valid() {
		kind = briefbot.KindRequest
	}
	m := &briefbot.Matter{
		Kind:            kind,
		ReportType:      briefbot.ReportType(f.sel(briefbot.FieldReportType)),
		Title:           f.str(briefbot.FieldTitle),
		Body:            f.str(briefbot.FieldBody),
		RequestedItem:   f.str(briefbot.FieldRequestedItem),
		Reasons:         f.str(briefbot.FieldReasons),
		Recommendation:  f.str(briefbot.FieldRecommendation),
		Department:      briefbot.DepartmentID(f.sel(briefbot.FieldDepartment)),
		Submitter:       v.me.ID,
		Decision:        briefbot.DecisionMethod(f.sel(briefbot.FieldDecision)),
		Urgency:         briefbot.Urgency(f.sel(briefbot.FieldUrgency)),
		Addressee:       briefbot.CommitteeID(f.sel(briefbot.FieldAddressee)),
		Category:        f.sel(briefbot.FieldCategory),
		AnswerBy:        f.date(briefbot.FieldAnswerBy, true),
		LevelSkipReason: f.str(briefbot.FieldLevelSkip),
		SkippedBody:     briefbot.CommitteeID(f.sel(briefbot.FieldSkippedBody)),
		FollowUpOf:      f.number(briefbot.FieldFollowUpOf, f.str(briefbot.FieldFollowUpOf)),
	}
	m.CopySkipped()
	for _, c := range f.multi(briefbot.FieldCopied) {
		m.Copied = append(m.Copied, briefbot.CommitteeID(c))
	}
	for _, w := range strings.FieldsFunc(f.str(briefbot.FieldRelated), func(r rune) bool { return r == ' ' || r == ',' || r == '，' || r == '、' || r == ';' }) {
		m.Related = append(m.Related, f.number(briefbot.FieldRelated, w))
	}
	for _, l := range strings.Split(f.str(briefbot.FieldAttachments), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			m.Attachments = append(m.Attachments, l)
		}
	}
	for _, r := range f.multi(briefbot.FieldRestricted) {
		m.Restricted = append(m.Restricted, briefbot.MemberID(r))
	}
	for _, o := range f.multi(briefbot.FieldUnclassified) {
		m.Unclassified = m.Unclassified || o == "yes"
	}
	ups := Uploads(f.get(briefbot.FieldFiles).Files)
	m.Files = declared(ups)
	if len(f.problems) > 0 {
		return nil, nil, f.problems
	}
	return m, ups, nil
}

// formValues reads a submitted form's values by block (block and action IDs are the
// same in the bot's forms), collecting what cannot be read as problems by block.
type formValues struct {
	v        *view
	values   map[string]map[string]slack.BlockAction
	problems map[string]string
}

func (f *formValues) get(id string) slack.BlockAction { return f.values[id][id] }

func (f *formValues) str(id string) string { return strings.TrimSpace(f.get(id).Value) }

func (f *formValues) sel(id string) string { return f.get(id).SelectedOption.Value }

func (f *formValues) multi(id string) []string {
	var out []string
	for _, o := range f.get(id).SelectedOptions {
		out = append(out, o.Value)
	}
	return out
}

// date is the date chosen, at the start of its day or at its end (DayEnds).
func (f *formValues) date(id string, endOfDay bool) time.Time {
	s := f.get(id).SelectedDate
	if s == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation("2006-01-02", s, f.v.rules.Loc())
	if err != nil {
		f.problems[id] = f.v.T(msgDMBadDate)
		return time.Time{}
	}
	if endOfDay {
		return f.v.rules.EndOfDay(t)
	}
	return t
}

// number reads a ledger number ("" is none).
func (f *formValues) number(id, s string) briefbot.Number {
	if s == "" {
		return briefbot.Number{}
	}
	n, err := briefbot.ParseNumber(s)
	if err != nil {
		f.problems[id] = briefbot.ErrorMessage(err, f.v.Lang)
	}
	return n
}

// outcome names what became of a submission, for the metrics.
func outcome(res briefbot.Result, err error) string {
	switch {
	case err != nil:
		return "refused"
	case res.Duplicate:
		return "duplicate"
	}
	return "stored"
}

func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}
