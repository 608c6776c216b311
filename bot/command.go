package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/notices"
)

// Action IDs of the bot's own controls (the buttons on notices are package notices').
const (
	actionListPage   = "list_page"   // value: the command text of the next page
	actionOpenIntake = "open_intake" // value: kind
	actionIntakeKind = "intake_kind" // the kind switch in the intake modal
)

// listPageSize is how many matters a list page shows.
const listPageSize = 10

// CommandInput is a command typed by a user: after the slash command, in a DM, or in
// the console.
type CommandInput struct {
	User User
	Text string
	// CanOpenModal says the transport holds a trigger to open a modal (a slash command
	// or a button); without it `new` starts the step-by-step DM conversation.
	CanOpenModal bool
	// DeliveryKey identifies the delivery (a Slack event_id); a repeat is ignored.
	DeliveryKey string
	// Files are files shared with the message (the DM intake takes them as the
	// matter's attached files); the text is then not read.
	Files []Upload
}

// Command answers one command.
func (b *Bot) Command(ctx context.Context, in CommandInput) (resp Response) {
	defer b.recover("command", &resp)
	v, refusal, ok := b.enter(ctx, in.User, in.DeliveryKey)
	if !ok {
		return refusal
	}
	return b.command1(ctx, v, in)
}

func (b *Bot) command1(ctx context.Context, v *view, in CommandInput) Response {
	if briefbot.HasClassificationMarking(in.Text) {
		// Refused before anything reads it: not searched, not echoed, not logged.
		return say(v.T(msgClassifiedCommand))
	}
	words := strings.Fields(in.Text)
	if len(words) == 0 {
		return say(v.help())
	}
	verb, args := canonicalVerb(words[0]), words[1:]
	switch verb {
	case "help":
		return say(v.help())
	case "new":
		return b.newMatter(ctx, v, args, in.CanOpenModal)
	case "status":
		if len(args) == 0 {
			return say(v.T(msgNoNumberGiven))
		}
		return b.status(ctx, v, strings.Join(args, ""))
	case "list":
		return b.list(ctx, v, args)
	case "brief":
		return b.brief(ctx, v, args)
	case "reload":
		return b.reloadCommand(ctx, v)
	case "stats":
		return b.stats(ctx, v, args)
	case "find":
		if len(args) == 0 {
			return say(v.T(msgNoWords))
		}
		return b.find(ctx, v, args)
	}
	if a, rest, ok := typedVerb(in.Text); ok {
		return b.typedStep(ctx, v, a, rest, in.DeliveryKey)
	}
	// Never echo what was typed: it may carry text the bot must not repeat.
	return say(v.T(msgUnknownCmd, blockkit.Escape(blockkit.Cut(words[0], 20, "…"))))
}

// newMatter answers `new [kind]`: the intake form, or the DM conversation where no
// form can be opened.
func (b *Bot) newMatter(ctx context.Context, v *view, args []string, canOpenModal bool) Response {
	kind := briefbot.KindRequest
	if len(args) > 0 {
		k, ok := parseKind(args[0])
		if !ok {
			return say(v.T(msgBadKind))
		}
		kind = k
	}
	org := &v.rules.Org
	if len(org.HeadOf(v.me.ID)) == 0 {
		// A department's member may draft for its heads, where that is enabled, in the form.
		if !v.rules.Intake.MemberDrafts || len(org.DepartmentsOf(v.me.ID)) == 0 || !canOpenModal {
			return say(briefbot.ErrorMessage(briefbot.ErrNotHead, v.Lang))
		}
	}
	if !canOpenModal {
		return say(b.startDM(ctx, v, kind))
	}
	modal := v.intakeModal(kind)
	return Response{Modal: &modal}
}

// canonicalVerb maps the words people type (English or Chinese) to a command.
func canonicalVerb(w string) string {
	switch strings.ToLower(strings.TrimLeft(w, "/")) {
	case "new", "submit", "新建", "报送", "上报":
		return "new"
	case "status", "show", "查询", "状态", "查看", "查看详情", "详情", "details":
		return "status"
	case "list", "ls", "列表", "清单":
		return "list"
	case "find", "search", "查找", "搜索":
		return "find"
	case "help", "?", "？", "帮助":
		return "help"
	case "brief", "briefing", "简报":
		return "brief"
	case "reload", "重新加载":
		return "reload"
	case "stats", "统计", "月报", "年报":
		return "stats"
	}
	return strings.ToLower(w)
}

func parseKind(w string) (briefbot.Kind, bool) {
	switch strings.ToLower(w) {
	case "request", "请示", "qs":
		return briefbot.KindRequest, true
	case "report", "报告", "bg":
		return briefbot.KindReport, true
	case "filing", "报备", "bb":
		return briefbot.KindFiling, true
	}
	return "", false
}

// help is the commands of what v.me's roles allow, under who they are.
func (v *view) help() string {
	org := &v.rules.Org
	id := v.me.ID
	roles := strings.Join(org.Roles(id, v.Lang), v.T(msgListSep))
	if roles == "" {
		roles = v.T(msgRoleNone)
	}
	parts := []text{msgHelpAll}
	leads, clerks := false, false
	for i := range org.Committees {
		leads = leads || org.Committees[i].IsLeader(id)
		clerks = clerks || org.Committees[i].IsClerk(id)
	}
	switch {
	case len(org.HeadOf(id)) > 0:
		parts = append(parts, msgHelpHeads)
	case len(org.DepartmentsOf(id)) > 0 && v.rules.Intake.MemberDrafts:
		parts = append(parts, msgHelpMember)
	}
	if leads {
		parts = append(parts, msgHelpLeader)
	}
	if clerks {
		parts = append(parts, msgHelpClerk)
	}
	if org.IsAdmin(id) {
		parts = append(parts, msgHelpAdmin)
	}
	out := []string{fmt.Sprintf(v.T(msgHelpHead), v.command, blockkit.Escape(roles))}
	for _, p := range parts {
		out = append(out, fmt.Sprintf(v.T(p), v.command))
	}
	return strings.Join(append(out, v.T(msgHelpFoot)), "\n\n")
}

// lookup finds the matter typed, if v.me may see it; anything else is "not found", so
// a restricted matter's existence does not leak. Every time a restricted matter is
// opened this way, the audit log records who and when: no record, no access.
func (b *Bot) lookup(ctx context.Context, v *view, typed string) (*briefbot.Matter, error) {
	ref, err := briefbot.ParseRef(typed)
	if err != nil {
		return nil, err
	}
	m, err := b.ledger.Matter(ctx, ref)
	if err == nil && !v.rules.Org.Allowed(v.me.ID, briefbot.PermView, m) {
		return nil, briefbot.NotFound(ref)
	}
	if err == nil && len(m.Restricted) > 0 {
		e := briefbot.AuditEntry{Actor: v.me.ID, Action: briefbot.AuditViewRestricted, MatterID: m.ID, Number: m.Number.String()}
		if err := b.ledger.AppendAudit(ctx, e); err != nil {
			return nil, err
		}
	}
	return m, err
}

// status answers `status NUMBER`: the card.
func (b *Bot) status(ctx context.Context, v *view, typed string) Response {
	m, err := b.lookup(ctx, v, typed)
	if err != nil {
		return b.errorReply(err, v, "status")
	}
	return reply(v.card(b.seenRefs(ctx, v, m)))
}

// seenRefs is m with only the first report and related matters v.me may see: a
// number on a card is as telling as the matter itself.
func (b *Bot) seenRefs(ctx context.Context, v *view, m *briefbot.Matter) *briefbot.Matter {
	if m.FollowUpOf.IsZero() && len(m.Related) == 0 {
		return m
	}
	seen := func(n briefbot.Number) bool {
		x, err := b.ledger.Matter(ctx, briefbot.RefNumber(n))
		return err == nil && v.visible(x)
	}
	c := m.Clone()
	if !c.FollowUpOf.IsZero() && !seen(c.FollowUpOf) {
		c.FollowUpOf = briefbot.Number{}
	}
	c.Related = slices.DeleteFunc(c.Related, func(n briefbot.Number) bool { return !seen(n) })
	return c
}

// listScopes maps what people type after `list` to a scope.
var listScopes = map[string]string{
	"mine": "mine", "我的": "mine", "dept": "dept", "本部门": "dept", "awaiting": "awaiting", "待批示": "awaiting",
	"overdue": "overdue", "逾期": "overdue", "all": "all", "全部": "all",
}

// list answers `list [mine|dept|awaiting|overdue|all] [page N]`.
func (b *Bot) list(ctx context.Context, v *view, args []string) Response {
	scope, page := "", 1
	var after briefbot.Cursor
	for i := 0; i < len(args); i++ {
		a := strings.ToLower(args[i])
		switch {
		case a == "page" || a == "p" || a == "第" || a == "页":
			n, err := strconv.Atoi(strings.Join(args[i+1:min(i+2, len(args))], ""))
			if err != nil || n < 1 {
				return say(v.T(msgBadPage))
			}
			page, i = n, i+1
		case a == "from" && i+1 < len(args):
			c, ok := parseCursor(args[i+1])
			if !ok {
				return say(v.T(msgBadPage))
			}
			after, i = c, i+1
		case listScopes[a] != "":
			scope = listScopes[a]
		default:
			return say(v.T(msgBadScope))
		}
	}
	if scope == "" {
		scope = v.defaultScope()
	}
	f := briefbot.Filter{Limit: listPageSize, Offset: (page - 1) * listPageSize, Visible: v.visible}
	if !after.IsZero() { // the next-page button: on from where the last page ended
		f.After, f.Offset = after, 0
	}
	title := map[string]text{"mine": msgScopeMine, "dept": msgScopeDept, "awaiting": msgScopeAwait, "overdue": msgScopeLate}[scope]
	switch scope {
	case "mine":
		f.Submitter = v.me.ID
	case "dept":
		f.Visible = v.inMyDepartments
		for _, d := range v.rules.Org.DepartmentsOf(v.me.ID) {
			f.Departments = append(f.Departments, d.ID) // read from the departments' index, not the whole ledger
		}
	case "awaiting":
		f.Awaiting = true
	case "overdue":
		f.OverdueAt = v.Now
	default:
		title = msgScopeAll
	}
	var p briefbot.Page
	var err error
	if scope != "dept" || len(f.Departments) > 0 { // a member of no department has no department's matters
		p, err = b.ledger.List(ctx, f)
	}
	if err != nil {
		return b.errorReply(err, v, "list")
	}
	next := fmt.Sprintf("list %s page %d", scope, page+1)
	return reply(v.page(v.T(msgListTitle, v.T(title), page), p, next))
}

// find answers `find WORDS [page N]`: the matters holding every word, newest first,
// under the words as the ledger looked for them. A query carrying a classification
// marking never gets here (command1 refuses it unread), so the words shown are safe.
func (b *Bot) find(ctx context.Context, v *view, args []string) Response {
	q := strings.Join(args, " ")
	page := 1
	if n := len(args); n >= 3 && strings.EqualFold(args[n-2], "page") {
		if p, err := strconv.Atoi(args[n-1]); err == nil && p > 0 {
			page, q = p, strings.Join(args[:n-2], " ")
		}
	}
	f := briefbot.Filter{Limit: listPageSize, Offset: (page - 1) * listPageSize, Visible: v.visible}
	if n := len(args); n >= 5 && strings.EqualFold(args[n-2], "from") && strings.EqualFold(args[n-4], "page") {
		// the next-page button: on from where the last page ended
		if c, ok := parseCursor(args[n-1]); ok {
			if p, err := strconv.Atoi(args[n-3]); err == nil && p > 0 {
				page, q, f.After, f.Offset = p, strings.Join(args[:n-4], " "), c, 0
			}
		}
	}
	p, err := b.ledger.Search(ctx, v.rules.Org.SearchQuery(q), f)
	if err != nil {
		return b.errorReply(err, v, "find")
	}
	return reply(v.page(v.T(msgListTitle, v.T(msgScopeFind, v.matched(p.Matched)), page), p, fmt.Sprintf("find %s page %d", q, page+1)))
}

// matched lists the words a search looked for, as the ledger understood them (a
// department by its name), from a query that passed the classification check.
func (v *view) matched(words []string) string {
	shown := make([]string, len(words))
	for i, w := range words {
		shown[i] = w
		if d, ok := v.rules.Org.Department(briefbot.DepartmentID(w)); ok {
			shown[i] = v.rules.Org.DepartmentName(d.ID, v.Lang)
		}
	}
	return strings.Join(shown, v.T(msgWordSep))
}

// page renders a page of matters with a next-page button when more follow.
func (v *view) page(title string, p briefbot.Page, next string) blockkit.Message {
	blocks := []blockkit.Block{blockkit.Header(title)}
	if len(p.Matters) == 0 {
		blocks = append(blocks, blockkit.Section(v.T(msgNothingFound)))
	}
	var lines []string
	for _, m := range p.Matters {
		blocks = append(blocks, v.ListItem(m))
		lines = append(lines, notices.ListLine(m))
	}
	if p.More {
		blocks = append(blocks,
			blockkit.Context(v.T(msgListMore, blockkit.Escape(v.command+" "+next))),
			blockkit.Actions(blockkit.Button(v.T(msgButtonNext), actionListPage, next+" from "+formatCursor(p.Next))))
	}
	return blockkit.Message{Text: blockkit.Escape(title) + "\n" + strings.Join(lines, "\n"), Blocks: blocks}
}

// formatCursor writes where a page ended into the next-page button's command, so the
// next page starts there instead of skipping the pages before it again.
func formatCursor(c briefbot.Cursor) string {
	if c.Due.IsZero() {
		return strconv.FormatUint(c.ID, 10)
	}
	return strconv.FormatUint(c.ID, 10) + "." + strconv.FormatInt(c.Due.Unix(), 10)
}

// parseCursor reads what formatCursor wrote. A cursor only says where to start: the
// page still holds only what the member may see, whatever a button was made to carry.
func parseCursor(s string) (briefbot.Cursor, bool) {
	id, due, hasDue := strings.Cut(s, ".")
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil || n == 0 {
		return briefbot.Cursor{}, false
	}
	c := briefbot.Cursor{ID: n}
	if hasDue {
		u, err := strconv.ParseInt(due, 10, 64)
		if err != nil || u < 0 {
			return briefbot.Cursor{}, false
		}
		c.Due = time.Unix(u, 0)
	}
	return c, true
}

// defaultScope is what a plain `list` shows: committee people see what awaits; heads
// their department's matters; anyone else their own.
func (v *view) defaultScope() string {
	switch {
	case len(v.rules.Org.CommitteesOf(v.me.ID)) > 0:
		return "awaiting"
	case len(v.rules.Org.DepartmentsOf(v.me.ID)) > 0:
		return "dept"
	}
	return "mine"
}

func (v *view) visible(m *briefbot.Matter) bool {
	return v.rules.Org.Allowed(v.me.ID, briefbot.PermView, m)
}

func (v *view) inMyDepartments(m *briefbot.Matter) bool {
	if !v.visible(m) {
		return false
	}
	for _, d := range v.rules.Org.DepartmentsOf(v.me.ID) {
		if m.Department == d.ID {
			return true
		}
	}
	return false
}

// ActionInput is a click on one of the bot's buttons or selects.
type ActionInput struct {
	User         User
	ActionID     string
	Value        string
	CanOpenModal bool
	// ViewID and PrivateMetadata are set when the action came from an open modal.
	ViewID          string
	PrivateMetadata string
	DeliveryKey     string
}

// legacyActions are the action IDs of buttons posted before the buttons carried their
// step's name: a button in an old message still works.
var legacyActions = map[string]briefbot.Action{
	"fb_progress": briefbot.ActionProgress, "fb_extension": briefbot.ActionRequestExtension, "fb_complete": briefbot.ActionComplete,
	"ext_grant": briefbot.ActionGrantExtension, "ext_decline": briefbot.ActionDeclineExtension, "close_out": briefbot.ActionClose,
}

// Action answers a click.
func (b *Bot) Action(ctx context.Context, in ActionInput) (resp Response) {
	defer b.recover("action", &resp)
	v, refusal, ok := b.enter(ctx, in.User, in.DeliveryKey)
	if !ok {
		return refusal
	}
	switch in.ActionID {
	case notices.ActionStatus:
		return b.status(ctx, v, in.Value)
	case actionListPage:
		return b.command1(ctx, v, CommandInput{User: in.User, Text: in.Value, CanOpenModal: in.CanOpenModal})
	case actionOpenIntake:
		return b.command1(ctx, v, CommandInput{User: in.User, Text: "new " + in.Value, CanOpenModal: in.CanOpenModal})
	case notices.ActionSubmitDraft:
		return b.submitDraft(ctx, v, in.Value)
	case notices.ActionApproveBriefing:
		return b.approveOne(ctx, v, in.Value)
	case actionIntakeKind:
		kind, ok := parseKind(in.Value)
		if !ok {
			kind = briefbot.KindRequest
		}
		modal := v.intakeModal(kind)
		return Response{UpdateView: &modal}
	}
	a, ok := legacyActions[in.ActionID]
	if !ok {
		a = briefbot.Action(in.ActionID)
	}
	switch a {
	case briefbot.ActionRead, briefbot.ActionInstruct:
		return b.instructButton(ctx, v, a, in.Value, in.CanOpenModal, in.DeliveryKey)
	case briefbot.ActionProgress, briefbot.ActionRequestExtension, briefbot.ActionComplete,
		briefbot.ActionGrantExtension, briefbot.ActionDeclineExtension, briefbot.ActionClose, briefbot.ActionSendBack,
		briefbot.ActionSign, briefbot.ActionRevise:
		return b.followThrough(ctx, v, a, in.Value, in.CanOpenModal, in.DeliveryKey)
	}
	return Response{}
}
