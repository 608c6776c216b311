package briefbot

import (
	"slices"
	"strings"
	"time"
)

// Member is a person the bot knows.
type Member struct {
	ID      MemberID
	Name    string
	NameEN  string // the name in English messages, if given (else Name)
	SlackID string // Slack user ID, e.g. U0123ABCD; empty for console-only members
	Lang    Lang   // preferred language; zero is Chinese
	Admin   bool   // may manage config and backups; sees no matter content by default
}

// Committee is a leadership body that receives matters: the party committee or the
// political-legal commission.
type Committee struct {
	ID      CommitteeID
	Name    string // e.g. 党组
	NameEN  string
	Office  string // the compiling office of briefings and reports, in full as printed (中共某市委政法委员会办公室); "" for the org's 办公室
	Leaders []MemberID
	Clerks  []MemberID
	Channel string // Slack channel ID the committee's briefings go to
	// Audience is who else reads that channel. Content goes to the channel only when
	// every one of them, and the committee's leaders and clerks, may see it; anything
	// else appears there as a placeholder.
	Audience []MemberID
	// Approve holds its scheduled briefings for a clerk's approval before they go out.
	Approve bool
	// SlackItems is how many items of each section its briefings show in Slack (the
	// urgent section always in full); 0: the default (briefings.DefaultSlackItems).
	SlackItems int
}

// Department is a submitting unit.
type Department struct {
	ID        DepartmentID
	Name      string
	NameEN    string
	Principal MemberID // 主要负责人: the signatory (签发人)
	Heads     []MemberID
	Members   []MemberID
	// Delegates are the heads the principal has authorised to sign off (授权签发), each
	// for a period.
	Delegates []Delegation
}

// Delegation authorises a head to sign off for the principal from From until Until
// (the config reads whole days: From at the start of its day, Until at the end of
// its; a zero Until has no end).
type Delegation struct {
	Member      MemberID
	From, Until time.Time
}

// Signs reports whether who may sign off the department's matters at t, and whether as
// a delegate (授权签发) rather than as the principal.
func (d *Department) Signs(who MemberID, t time.Time) (ok, delegated bool) {
	if who == "" {
		return false, false
	}
	if who == d.Principal {
		return true, false
	}
	for _, g := range d.Delegates {
		if g.Member == who && d.IsHead(who) && !t.Before(g.From) && (g.Until.IsZero() || !t.After(g.Until)) {
			return true, true
		}
	}
	return false, false
}

// Org is who is who: committees, departments and members. Build it with its fields and
// treat it as read-only once in use.
type Org struct {
	Name        string
	Committees  []Committee
	Departments []Department
	Members     []Member
}

// Member returns the member with id.
func (o *Org) Member(id MemberID) (*Member, bool) {
	for i := range o.Members {
		if o.Members[i].ID == id {
			return &o.Members[i], true
		}
	}
	return nil, false
}

// MemberBySlackID returns the member whose Slack user ID is slackID.
func (o *Org) MemberBySlackID(slackID string) (*Member, bool) {
	if slackID == "" {
		return nil, false
	}
	for i := range o.Members {
		if o.Members[i].SlackID == slackID {
			return &o.Members[i], true
		}
	}
	return nil, false
}

// Committee returns the committee with id.
func (o *Org) Committee(id CommitteeID) (*Committee, bool) {
	for i := range o.Committees {
		if o.Committees[i].ID == id {
			return &o.Committees[i], true
		}
	}
	return nil, false
}

// Department returns the department with id.
func (o *Org) Department(id DepartmentID) (*Department, bool) {
	for i := range o.Departments {
		if o.Departments[i].ID == id {
			return &o.Departments[i], true
		}
	}
	return nil, false
}

// MemberName is the member's name, or their id if the config gives none.
func (o *Org) MemberName(id MemberID) string {
	if m, ok := o.Member(id); ok && m.Name != "" {
		return m.Name
	}
	return string(id)
}

// MemberNameIn is the member's name in lang: the English name in English where the
// config gives one.
func (o *Org) MemberNameIn(id MemberID, lang Lang) string {
	if m, ok := o.Member(id); ok && m.Name != "" {
		return named(m.Name, m.NameEN, lang)
	}
	return string(id)
}

// DepartmentName is the department's name in lang (the English name if it has one),
// or its id if it is not in the config.
func (o *Org) DepartmentName(id DepartmentID, lang Lang) string {
	if d, ok := o.Department(id); ok {
		return named(d.Name, d.NameEN, lang)
	}
	return string(id)
}

// CommitteeName is the committee's name in lang (the English name if it has one), or
// its id if it is not in the config.
func (o *Org) CommitteeName(id CommitteeID, lang Lang) string {
	if c, ok := o.Committee(id); ok {
		return named(c.Name, c.NameEN, lang)
	}
	return string(id)
}

// named is the English name in English where there is one, else the Chinese name.
func named(zh, en string, lang Lang) string {
	if lang == LangEN && en != "" {
		return en
	}
	return zh
}

// Has reports whether id belongs to the department, as principal, head or member.
func (d *Department) Has(id MemberID) bool {
	return d.Principal == id || slices.Contains(d.Heads, id) || slices.Contains(d.Members, id)
}

// IsHead reports whether id may submit for department dept: its principal or a head.
func (d *Department) IsHead(id MemberID) bool {
	return d.Principal == id || slices.Contains(d.Heads, id)
}

// HeadsOf lists the principal and the heads, the principal first.
func (d *Department) HeadsOf() []MemberID {
	return append([]MemberID{d.Principal}, d.Heads...)
}

// IsLeader reports whether id is one of the committee's leaders.
func (c *Committee) IsLeader(id MemberID) bool { return slices.Contains(c.Leaders, id) }

// IsClerk reports whether id is one of the committee's clerks.
func (c *Committee) IsClerk(id MemberID) bool { return slices.Contains(c.Clerks, id) }

// CommitteesOf returns the committees id leads or clerks for.
func (o *Org) CommitteesOf(id MemberID) []*Committee {
	return pick(o.Committees, func(c *Committee) bool { return c.IsLeader(id) || c.IsClerk(id) })
}

// ClerkOf returns the committees id clerks for.
func (o *Org) ClerkOf(id MemberID) []*Committee {
	return pick(o.Committees, func(c *Committee) bool { return c.IsClerk(id) })
}

// HeadOf returns the departments id may submit for: those it is principal or head of.
func (o *Org) HeadOf(id MemberID) []*Department {
	return pick(o.Departments, func(d *Department) bool { return d.IsHead(id) })
}

// DepartmentsOf returns the departments id belongs to, as principal, head or member.
func (o *Org) DepartmentsOf(id MemberID) []*Department {
	return pick(o.Departments, func(d *Department) bool { return d.Has(id) })
}

// pick returns pointers to the elements of xs that keep accepts, in order.
func pick[T any](xs []T, keep func(*T) bool) []*T {
	var out []*T
	for i := range xs {
		if keep(&xs[i]) {
			out = append(out, &xs[i])
		}
	}
	return out
}

// CommitteesBefore returns the committees m is before: its addressee, then the copied
// committees, each once, those in the config only.
func (o *Org) CommitteesBefore(m *Matter) []*Committee {
	var cs []*Committee
	for _, id := range append([]CommitteeID{m.Addressee}, m.Copied...) {
		if c, ok := o.Committee(id); ok && !slices.Contains(cs, c) {
			cs = append(cs, c)
		}
	}
	return cs
}

// CanSee reports whether member id may know of matter m at all: the submitter and the
// people of the submitting department; the leaders and clerks of the addressee and the
// copied committees; the people of the departments it is assigned to. A restricted
// matter (限定知悉范围) is seen only by its list and its submitter.
func (o *Org) CanSee(id MemberID, m *Matter) bool {
	if id == "" {
		return false
	}
	if m.Submitter == id {
		return true
	}
	if d, ok := o.Department(m.Department); ok && d.Principal == id {
		return true // the signatory (签发人) sees what their department sends, restricted or not
	}
	if len(m.Restricted) > 0 {
		return slices.Contains(m.Restricted, id)
	}
	inDept := func(dept DepartmentID) bool {
		d, ok := o.Department(dept)
		return ok && d.Has(id)
	}
	if inDept(m.Department) {
		return true
	}
	for _, c := range o.CommitteesBefore(m) {
		if (c.IsLeader(id) || c.IsClerk(id)) && !m.PreSubmission() { // the committee's side: once it is submitted
			return true
		}
	}
	if a := m.Assignment; a != nil {
		for _, d := range a.Units() {
			if inDept(d) {
				return true
			}
		}
	}
	return false
}

// ChannelMaySee reports whether matter m may be shown in committee c's channel: every
// member of its audience — the committee's leaders and clerks and anyone declared —
// may see it.
func (o *Org) ChannelMaySee(c *Committee, m *Matter) bool {
	for _, group := range [][]MemberID{c.Leaders, c.Clerks, c.Audience} {
		for _, id := range group {
			if !o.Allowed(id, PermView, m) {
				return false
			}
		}
	}
	return true
}

// Roles says, in lang, what member id is in the org: leader or clerk of a committee,
// principal, head or member of a department, admin; empty for none.
func (o *Org) Roles(id MemberID, lang Lang) []string {
	var out []string
	for i := range o.Committees {
		c := &o.Committees[i]
		if c.IsLeader(id) {
			out = append(out, msgRoleLeader.Format(lang, named(c.Name, c.NameEN, lang)))
		}
		if c.IsClerk(id) {
			out = append(out, msgRoleClerk.Format(lang, named(c.Name, c.NameEN, lang)))
		}
	}
	for i := range o.Departments {
		d := &o.Departments[i]
		name := named(d.Name, d.NameEN, lang)
		switch {
		case d.Principal == id:
			out = append(out, msgRolePrincipal.Format(lang, name))
		case d.IsHead(id):
			out = append(out, msgRoleHead.Format(lang, name))
		case d.Has(id):
			out = append(out, msgRoleMember.Format(lang, name))
		}
	}
	if o.IsAdmin(id) {
		out = append(out, msgRoleAdmin.In(lang))
	}
	return out
}

var (
	msgRoleLeader    = Text{ZH: "%s领导", EN: "leader of %s"}
	msgRoleClerk     = Text{ZH: "%s办文人员", EN: "clerk of %s"}
	msgRolePrincipal = Text{ZH: "%s主要负责人", EN: "principal of %s"}
	msgRoleHead      = Text{ZH: "%s负责人", EN: "head of %s"}
	msgRoleMember    = Text{ZH: "%s成员", EN: "member of %s"}
	msgRoleAdmin     = Text{ZH: "管理员", EN: "admin"}
)

// SearchQuery rewrites the words of a search query that name a department (its name,
// English name or id, case ignored) as the department's id: the ledger's search finds
// a department's matters, those it submitted and those assigned to it, by its id.
func (o *Org) SearchQuery(query string) string {
	words := strings.Fields(query)
	for i, w := range words {
		for _, d := range o.Departments {
			if strings.EqualFold(w, d.Name) || strings.EqualFold(w, d.NameEN) || strings.EqualFold(w, string(d.ID)) {
				words[i] = string(d.ID)
				break
			}
		}
	}
	return strings.Join(words, " ")
}
