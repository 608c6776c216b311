package briefbot

import (
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Field names, as used in FieldError.Field and by forms that map problems to inputs.
const (
	FieldKind           = "kind"
	FieldReportType     = "report_type"
	FieldFollowUpOf     = "follow_up_of"
	FieldTitle          = "title"
	FieldBody           = "body"
	FieldRequestedItem  = "requested_item"
	FieldReasons        = "reasons"
	FieldRecommendation = "recommendation"
	FieldDepartment     = "department"
	FieldSubmitter      = "submitter"
	FieldSignatory      = "signatory"
	FieldSignedOn       = "signed_on"
	FieldDecision       = "decision"
	FieldUrgency        = "urgency"
	FieldAddressee      = "addressee"
	FieldCopied         = "copied"
	FieldCategory       = "category"
	FieldAnswerBy       = "answer_by"
	FieldRelated        = "related"
	FieldAttachments    = "attachments"
	FieldFiles          = "files"
	FieldUnclassified   = "unclassified"
	FieldRestricted     = "restricted"
	FieldLevelSkip      = "level_skip"
	FieldSkippedBody    = "skipped_body"

	// Fields of a step's form (instruction, referral, feedback).
	FieldText      = "text"
	FieldLead      = "lead"
	FieldAssisting = "assisting"
	FieldDeadline  = "deadline"
)

// IntakeRules are the configurable parts of the intake rules. The zero value is not
// useful: start from DefaultIntakeRules.
type IntakeRules struct {
	// Categories is the list a matter's category must come from; empty allows any.
	Categories []string
	// RequestPhrases are phrasings that make a text a request; a report or filing
	// using one to ask for a decision is refused (报告不得夹带请示事项). Compared
	// ignoring white space and the difference between full-width and half-width
	// punctuation; "…" in a phrase stands for a few characters of one clause (请…批准).
	// Quoted, past and negated mentions do not count: see FindRequestPhrase.
	RequestPhrases []string
	// AllowLevelSkip lets a matter skip a level (越级): it names the body passed over,
	// which is copied, and gives the reason. Off by default.
	AllowLevelSkip bool
	// Length limits, in characters.
	MaxTitle, MaxBody, MaxField int
	// Count limits.
	MaxCopied, MaxRelated, MaxAttachments, MaxRestricted int
	// FileTypes are the types (FileType: the extension) a file attached to a matter
	// may have; empty switches attached files off (links only).
	FileTypes []string
	// MaxFileSize is the largest file accepted, in bytes; MaxFiles how many one matter
	// may hold.
	MaxFileSize int64
	MaxFiles    int
	// MemberDrafts lets a department's members draft matters for its heads to submit.
	MemberDrafts bool
	// SignOff says how submissions are signed off (签发).
	SignOff SignOffRules
}

// DefaultIntakeRules returns the rules with the default phrase list and limits.
func DefaultIntakeRules() IntakeRules {
	return IntakeRules{
		Categories:     []string{"重大案件", "敏感案件", "重大风险", "队伍安全", "干预司法", "其他"},
		RequestPhrases: DefaultRequestPhrases(),
		MaxTitle:       100, MaxBody: 20000, MaxField: 5000,
		MaxCopied: 5, MaxRelated: 20, MaxAttachments: 20, MaxRestricted: 50,
		FileTypes: DefaultFileTypes(), MaxFileSize: 20 << 20, MaxFiles: 10,
	}
}

// TextField is one free-text field of a matter.
type TextField struct {
	Field string
	Text  string
}

// TextFields returns every free-text field of m, for checks that must see all of them:
// attached files' names included, so a marked file name is refused like a marked title.
func (m *Matter) TextFields() []TextField {
	fs := []TextField{
		{FieldTitle, m.Title}, {FieldBody, m.Body}, {FieldRequestedItem, m.RequestedItem},
		{FieldReasons, m.Reasons}, {FieldRecommendation, m.Recommendation},
		{FieldLevelSkip, m.LevelSkipReason}, {FieldCategory, m.Category},
	}
	for _, a := range m.Attachments {
		fs = append(fs, TextField{FieldAttachments, a})
	}
	for _, f := range m.Files {
		fs = append(fs, TextField{FieldFiles, f.Name})
	}
	return fs
}

// CheckStorable refuses a matter that may not be stored at all, whoever submits it:
// one of an unknown kind (EINVALID "kind") or carrying a classification marking in any
// text (EINVALID "classified", naming the field, never quoting it). The store runs it
// before every write; CheckIntake includes it.
func CheckStorable(m *Matter) error {
	for _, f := range m.TextFields() {
		if HasClassificationMarking(f.Text) {
			return &Error{Code: EINVALID, Reason: ReasonClassified, Msg: msgClassified,
				Fields: []FieldError{{Field: f.Field, Msg: msgClassified}}}
		}
	}
	if !m.Kind.Valid() {
		return &Error{Code: EINVALID, Reason: ReasonKind, Msg: msgKindRequired,
			Fields: []FieldError{{Field: FieldKind, Msg: msgKindRequired}}}
	}
	return nil
}

// CheckIntake applies the domain rules a matter must meet to be submitted. It returns
// nil, or an EINVALID *Error whose Fields list every problem found, each tied to its
// field. A classification marking stops the check at once with ReasonClassified: the
// message names the field but never quotes the text.
//
// now is the submission time; org says who is who. Existence of related and followed-up
// matters is the ledger's to check.
func CheckIntake(m *Matter, org *Org, rules IntakeRules, now time.Time) error {
	// Classified content first: nothing else about it is looked at or echoed.
	if err := CheckStorable(m); ErrorReason(err) == ReasonClassified {
		return err
	}
	c := &intakeCheck{m: m, org: org, rules: rules, now: now}
	c.content()
	switch m.Kind {
	case KindRequest:
		c.request()
	case KindReport, KindFiling:
		c.report()
	}
	c.sender()
	c.addressees()
	c.rest()
	if len(c.fe) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Reason: ReasonIntake, Msg: c.fe[0].Msg, Fields: c.fe}
}

// intakeCheck collects the problems of one matter.
type intakeCheck struct {
	m     *Matter
	org   *Org
	rules IntakeRules
	now   time.Time
	fe    []FieldError
}

func (c *intakeCheck) add(field string, msg Text) { c.fe = append(c.fe, FieldError{field, msg}) }

func (c *intakeCheck) long(field, s string, max int) {
	if utf8.RuneCountInString(s) > max {
		c.add(field, msgTooLong(max))
	}
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// content checks the declaration, the kind, the title and the lengths.
func (c *intakeCheck) content() {
	m, r := c.m, c.rules
	if !m.Unclassified {
		c.add(FieldUnclassified, msgDeclareUnclassified)
	}
	if !m.Kind.Valid() {
		c.add(FieldKind, msgKindRequired)
	}
	if blank(m.Title) {
		c.add(FieldTitle, msgTitleRequired)
	} else if strings.ContainsAny(m.Title, "\r\n") {
		c.add(FieldTitle, msgTitleOneLine)
	}
	c.long(FieldTitle, m.Title, r.MaxTitle)
	c.long(FieldBody, m.Body, r.MaxBody)
	c.long(FieldRequestedItem, m.RequestedItem, r.MaxField)
	c.long(FieldReasons, m.Reasons, r.MaxField)
	c.long(FieldRecommendation, m.Recommendation, r.MaxField)
	c.long(FieldLevelSkip, m.LevelSkipReason, r.MaxField)
}

// request checks what a 请示 needs: one matter, its reasons, the unit's recommendation.
func (c *intakeCheck) request() {
	m := c.m
	if m.ReportType != "" || !m.FollowUpOf.IsZero() {
		c.add(FieldReportType, msgReportTypeOnlyReports)
	}
	if blank(m.RequestedItem) {
		c.add(FieldRequestedItem, msgRequestedItemRequired)
	} else if CountMatters(m.RequestedItem) > 1 {
		c.add(FieldRequestedItem, msgOneItem)
	}
	if blank(m.Reasons) {
		c.add(FieldReasons, msgReasonsRequired)
	}
	if blank(m.Recommendation) {
		c.add(FieldRecommendation, msgRecommendationRequired)
	}
	if !m.AnswerBy.IsZero() && !m.AnswerBy.After(c.now) {
		c.add(FieldAnswerBy, msgAnswerByFuture)
	}
}

// report checks reports and filings: a body, no request in them, the report's type.
func (c *intakeCheck) report() {
	m := c.m
	if !blank(m.RequestedItem) || !blank(m.Reasons) || !blank(m.Recommendation) {
		c.add(FieldRequestedItem, msgNoRequestFields)
	}
	if blank(m.Body) {
		c.add(FieldBody, msgBodyRequired)
	}
	for _, f := range []TextField{{FieldTitle, m.Title}, {FieldBody, m.Body}} {
		if p := FindRequestPhrase(f.Text, c.rules.RequestPhrases); p != "" {
			c.add(f.Field, msgRequestPhrase(p)) // each field, so both can be fixed at once
		}
	}
	if !m.AnswerBy.IsZero() {
		c.add(FieldAnswerBy, msgAnswerByRequestsOnly)
	}
	if m.Kind != KindReport {
		if m.ReportType != "" || !m.FollowUpOf.IsZero() {
			c.add(FieldReportType, msgReportTypeOnlyReports)
		}
		return
	}
	switch {
	case !m.ReportType.Valid():
		c.add(FieldReportType, msgReportTypeRequired)
	case m.ReportType == ReportFollowUp && m.FollowUpOf.IsZero():
		c.add(FieldFollowUpOf, msgFollowUpOfRequired)
	case m.ReportType != ReportFollowUp && !m.FollowUpOf.IsZero():
		c.add(FieldFollowUpOf, msgFollowUpOfOnly)
	}
	if !m.FollowUpOf.IsZero() && m.FollowUpOf.Kind != KindReport {
		c.add(FieldFollowUpOf, msgFollowUpOfReport)
	}
}

// sender checks who sends it: a known department and submitter, a decision method and
// an urgency. The signatory is not given: it is recorded when the matter is signed
// off (Rules.SignOff, ActionSign).
func (c *intakeCheck) sender() {
	m, org := c.m, c.org
	if _, ok := org.Department(m.Department); !ok {
		c.add(FieldDepartment, msgUnknownDepartment)
	}
	if _, ok := org.Member(m.Submitter); !ok {
		c.add(FieldSubmitter, msgUnknownMember)
	}
	if !m.Decision.Valid() {
		c.add(FieldDecision, msgDecisionRequired)
	}
	if m.Urgency != "" && !m.Urgency.Valid() {
		c.add(FieldUrgency, msgUrgencyInvalid)
	}
}

// addressees checks to whom: exactly one known addressee, known copies, level skips.
func (c *intakeCheck) addressees() {
	m, org := c.m, c.org
	if m.Addressee == "" || strings.ContainsAny(string(m.Addressee), ",，、 ") {
		c.add(FieldAddressee, msgOneAddressee)
	} else if _, ok := org.Committee(m.Addressee); !ok {
		c.add(FieldAddressee, msgUnknownCommittee)
	}
	if len(m.Copied) > c.rules.MaxCopied {
		c.add(FieldCopied, msgTooMany(c.rules.MaxCopied))
	}
	for i, id := range m.Copied {
		if id == m.Addressee {
			c.add(FieldCopied, msgCopiedIsAddressee)
		} else if _, ok := org.Committee(id); !ok {
			c.add(FieldCopied, msgUnknownCommittee)
		} else if slices.Contains(m.Copied[:i], id) {
			c.add(FieldCopied, msgDuplicate)
		}
	}
	if m.LevelSkip || m.SkippedBody != "" || !blank(m.LevelSkipReason) {
		switch _, known := org.Committee(m.SkippedBody); {
		case !c.rules.AllowLevelSkip:
			c.add(FieldSkippedBody, msgLevelSkipOff)
		case m.SkippedBody == "":
			c.add(FieldSkippedBody, msgLevelSkipWhich)
		case !known:
			c.add(FieldSkippedBody, msgUnknownCommittee)
		case m.SkippedBody == m.Addressee:
			c.add(FieldSkippedBody, msgLevelSkipSelf)
		case blank(m.LevelSkipReason):
			c.add(FieldLevelSkip, msgLevelSkipReason)
		case !slices.Contains(m.Copied, m.SkippedBody):
			c.add(FieldCopied, msgLevelSkipCopied)
		}
	}
}

// CopySkipped makes a level skip (越级) what the rules need: a skip, copied to the
// body it passes over (抄送 added if missing).
func (m *Matter) CopySkipped() {
	m.LevelSkip = m.SkippedBody != "" || strings.TrimSpace(m.LevelSkipReason) != ""
	if m.SkippedBody != "" && !slices.Contains(m.Copied, m.SkippedBody) {
		m.Copied = append(m.Copied, m.SkippedBody)
	}
}

// rest checks the category, related matters, attachments and the restricted list.
func (c *intakeCheck) rest() {
	m, r := c.m, c.rules
	if m.Category != "" && len(r.Categories) > 0 && !slices.Contains(r.Categories, m.Category) {
		c.add(FieldCategory, msgUnknownCategory(r.Categories))
	}
	if len(m.Related) > r.MaxRelated {
		c.add(FieldRelated, msgTooMany(r.MaxRelated))
	}
	if len(m.Attachments) > r.MaxAttachments {
		c.add(FieldAttachments, msgTooMany(r.MaxAttachments))
	}
	for _, a := range m.Attachments {
		if u, err := url.Parse(a); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(a) > 2000 {
			c.add(FieldAttachments, msgBadLink)
			break
		}
	}
	c.checkFiles()
	if len(m.Restricted) > r.MaxRestricted {
		c.add(FieldRestricted, msgTooMany(r.MaxRestricted))
	}
	for _, id := range m.Restricted {
		if _, ok := c.org.Member(id); !ok {
			c.add(FieldRestricted, msgUnknownMember)
			break
		}
	}
}

// CheckSubmission decides whether who may submit m now: they head its department
// (EFORBIDDEN, ReasonNotHead, on the department field, otherwise) and it meets the
// intake rules (CheckIntake). A request without an answer deadline gets the default
// one first.
func (r *Rules) CheckSubmission(who MemberID, m *Matter, now time.Time) error {
	if !r.Org.Allowed(who, PermSubmit, m) {
		return ErrNotHead
	}
	r.DefaultAnswerBy(m, now)
	return CheckIntake(m, &r.Org, r.Intake, now)
}

// CheckDraft decides whether who may save m as a draft for the department's heads:
// drafts are switched on, who belongs to the department, and it meets the intake
// rules as a submission would (bar who submits).
func (r *Rules) CheckDraft(who MemberID, m *Matter, now time.Time) error {
	if !r.Intake.MemberDrafts || !r.Org.Allowed(who, PermDraft, m) {
		return ErrNotHead
	}
	r.DefaultAnswerBy(m, now)
	return CheckIntake(m, &r.Org, r.Intake, now)
}

// DefaultAnswerBy gives a request without an answer deadline the answer limit.
func (r *Rules) DefaultAnswerBy(m *Matter, now time.Time) {
	if m.Kind == KindRequest && m.AnswerBy.IsZero() {
		m.AnswerBy = r.AnswerDeadline(now)
	}
}
