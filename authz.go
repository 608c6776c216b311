package briefbot

import "slices"

// Permission is something a member may or may not do with a matter.
type Permission string

// Permissions, each decided by Org.Allowed.
const (
	PermView      Permission = "view"       // know of the matter and see its content
	PermSubmit    Permission = "submit"     // submit it for its department
	PermDraft     Permission = "draft"      // draft it for its department's heads to submit
	PermInstruct  Permission = "instruct"   // 批示 / 圈阅 as one of its leaders
	PermRecordFor Permission = "record_for" // record a leader's 批示 / 圈阅 on their behalf (代录)
	PermReport    Permission = "report"     // report on its assignment (落实反馈, 延期, 办结)
	PermDecide    Permission = "decide"     // decide on its follow-through (延期, 销号, 退办)
)

// Permissions lists every permission, in the order the matrix shows them.
var Permissions = []Permission{PermView, PermDraft, PermSubmit, PermInstruct, PermRecordFor, PermReport, PermDecide}

// Allowed is the one authorizer: it decides whether member who may do p with matter
// m. Every transport and every output asks it (through the bot); nothing else decides.
//
//   - A department's members see its matters and may draft them (where drafts are
//     enabled); its principal and heads also submit them and report on assignments
//     given to it (as lead or assisting unit).
//   - A committee's leaders see what is addressed or copied to it and instruct it; its
//     clerks see the same, record for its leaders and decide the follow-through.
//   - A restricted matter (限定知悉范围) is seen only by its list and its submitter:
//     nobody else may do anything with it, nor learn that it exists.
//   - An admin sees no matter content for being an admin.
func (o *Org) Allowed(who MemberID, p Permission, m *Matter) bool {
	if who == "" {
		return false
	}
	if p != PermSubmit && p != PermDraft && !o.CanSee(who, m) {
		return false
	}
	switch p {
	case PermView:
		return true
	case PermSubmit:
		d, ok := o.Department(m.Department)
		return ok && d.IsHead(who)
	case PermDraft: // whether drafting is switched on is the intake rules' business
		d, ok := o.Department(m.Department)
		return ok && (d.IsHead(who) || slices.Contains(d.Members, who))
	case PermInstruct:
		return slices.ContainsFunc(o.CommitteesBefore(m), func(c *Committee) bool { return c.IsLeader(who) })
	case PermRecordFor, PermDecide:
		return slices.ContainsFunc(o.CommitteesBefore(m), func(c *Committee) bool { return c.IsClerk(who) })
	case PermReport:
		if m.Assignment == nil {
			return false
		}
		return len(o.UnitsHeadedBy(who, m.Assignment.Units())) > 0
	}
	return false
}

// UnitsHeadedBy returns those of units who is principal or head of.
func (o *Org) UnitsHeadedBy(who MemberID, units []DepartmentID) []DepartmentID {
	var out []DepartmentID
	for _, u := range units {
		if d, ok := o.Department(u); ok && d.IsHead(who) {
			out = append(out, u)
		}
	}
	return out
}

// MayBrief reports whether who may compile, preview and approve committee's briefings:
// its clerks.
func (o *Org) MayBrief(who MemberID, committee CommitteeID) bool {
	c, ok := o.Committee(committee)
	return ok && c.IsClerk(who)
}

// IsAdmin reports whether who administers the bot (config reload, backups).
func (o *Org) IsAdmin(who MemberID) bool {
	m, ok := o.Member(who)
	return ok && m.Admin
}
