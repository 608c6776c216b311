package slacktest

import (
	"encoding/json"
	"fmt"
	"time"
)

// viewRec is a stored view: the whole object as the API returns it.
type viewRec struct {
	obj       map[string]any
	userID    string
	triggerID string
	method    string
}

func (v *viewRec) str(key string) string {
	s, _ := v.obj[key].(string)
	return s
}

func (v *viewRec) export() View {
	out := View{
		ID:              v.str("id"),
		Type:            v.str("type"),
		CallbackID:      v.str("callback_id"),
		ExternalID:      v.str("external_id"),
		PrivateMetadata: v.str("private_metadata"),
		Hash:            v.str("hash"),
		RootViewID:      v.str("root_view_id"),
		PreviousViewID:  v.str("previous_view_id"),
		UserID:          v.userID,
		TriggerID:       v.triggerID,
		Method:          v.method,
		Blocks:          rawJSON(v.obj["blocks"]),
		JSON:            rawJSON(v.obj),
	}
	return out
}

// viewParam reads the "view" parameter and checks it against Slack's limits.
func viewParam(r *apiRequest, wantType string) (map[string]any, *apiError) {
	v, ok, err := r.jsonParam("view")
	if err != nil {
		return nil, errf("invalid_arguments", "[ERROR] view is not valid JSON [json-pointer:/view]")
	}
	view, isObj := v.(map[string]any)
	if !ok || !isObj {
		return nil, errf("invalid_arguments", "[ERROR] missing required field: view")
	}
	if b, _ := json.Marshal(view); len(b) > maxViewBytes {
		return nil, errf("view_too_large")
	}
	if wantType != "" && view["type"] != wantType {
		return nil, errf("invalid_arguments", fmt.Sprintf("[ERROR] must be %s [json-pointer:/view/type]", wantType))
	}
	if msgs := checkView(view); len(msgs) > 0 {
		return nil, errf("invalid_arguments", msgs...)
	}
	return view, nil
}

// storeView completes view the way Slack does and stores it under id.
func (s *Server) storeView(id string, view map[string]any, prev, root string, method string, now time.Time) *viewRec {
	s.hashSeq++
	obj := map[string]any{
		"id": id, "team_id": TeamID, "type": view["type"],
		"blocks": []any{}, "private_metadata": "", "callback_id": "", "external_id": "",
		"title": nil, "close": nil, "submit": nil,
		"clear_on_close": false, "notify_on_close": false,
		"previous_view_id": nil, "root_view_id": root, "app_id": AppID,
		"app_installed_team_id": TeamID, "bot_id": BotID,
	}
	for k, v := range view {
		if v != nil {
			obj[k] = v
		}
	}
	if b, ok := obj["blocks"].([]any); ok {
		obj["blocks"] = fillIDs(b)
	}
	obj["id"] = id
	obj["root_view_id"] = root
	if prev != "" {
		obj["previous_view_id"] = prev
	}
	obj["state"] = map[string]any{"values": map[string]any{}}
	obj["hash"] = fmt.Sprintf("%d.fake%04d", now.Unix(), s.hashSeq)
	rec := &viewRec{obj: obj, method: method}
	s.views[id] = rec
	return rec
}

func (s *Server) newViewID() string {
	s.viewSeq++
	return fmt.Sprintf("V%d", s.viewSeq)
}

func (s *Server) externalIDTaken(ext, except string) bool {
	if ext == "" {
		return false
	}
	for id, v := range s.views {
		if id != except && v.str("external_id") == ext {
			return true
		}
	}
	return false
}

func (s *Server) viewsOpen(r *apiRequest, now time.Time) (map[string]any, *apiError) {
	return s.openOrPush(r, now, false)
}

func (s *Server) viewsPush(r *apiRequest, now time.Time) (map[string]any, *apiError) {
	return s.openOrPush(r, now, true)
}

func (s *Server) openOrPush(r *apiRequest, now time.Time, push bool) (map[string]any, *apiError) {
	trigger := r.str("trigger_id")
	if trigger == "" {
		return nil, errf("invalid_arguments", "[ERROR] missing required field: trigger_id")
	}
	view, aerr := viewParam(r, "modal")
	if aerr != nil {
		return nil, aerr
	}
	ext, _ := view["external_id"].(string)
	if s.externalIDTaken(ext, "") {
		return nil, errf("duplicate_external_id")
	}
	id := s.newViewID()
	prev, root := "", id
	if from := s.triggers[trigger]; push && from != "" {
		if pv, ok := s.views[from]; ok {
			prev, root = from, pv.str("root_view_id")
		}
	}
	rec := s.storeView(id, view, prev, root, r.method, now)
	rec.triggerID = trigger
	return map[string]any{"view": rec.obj}, nil
}

func (s *Server) viewsUpdate(r *apiRequest, now time.Time) (map[string]any, *apiError) {
	id, ext := r.str("view_id"), r.str("external_id")
	if id == "" && ext == "" {
		return nil, errf("invalid_arguments", "[ERROR] either view_id or external_id is required")
	}
	if id == "" {
		for vid, v := range s.views {
			if v.str("external_id") == ext {
				id = vid
			}
		}
	}
	old, ok := s.views[id]
	if !ok {
		return nil, errf("not_found")
	}
	if h := r.str("hash"); h != "" && h != old.str("hash") {
		return nil, errf("hash_conflict")
	}
	view, aerr := viewParam(r, "")
	if aerr != nil {
		return nil, aerr
	}
	if e, _ := view["external_id"].(string); s.externalIDTaken(e, id) {
		return nil, errf("duplicate_external_id")
	}
	if _, set := view["external_id"]; !set && old.str("external_id") != "" {
		view["external_id"] = old.str("external_id")
	}
	prev, _ := old.obj["previous_view_id"].(string)
	rec := s.storeView(id, view, prev, old.str("root_view_id"), r.method, now)
	rec.userID, rec.triggerID = old.userID, old.triggerID
	return map[string]any{"view": rec.obj}, nil
}

func (s *Server) viewsPublish(r *apiRequest, now time.Time) (map[string]any, *apiError) {
	user := r.str("user_id")
	if user == "" {
		return nil, errf("invalid_arguments", "[ERROR] missing required field: user_id")
	}
	view, aerr := viewParam(r, "home")
	if aerr != nil {
		return nil, aerr
	}
	id := s.homes[user]
	if old, ok := s.views[id]; ok {
		if h := r.str("hash"); h != "" && h != old.str("hash") {
			return nil, errf("hash_conflict")
		}
	} else {
		id = s.newViewID()
		s.homes[user] = id
	}
	rec := s.storeView(id, view, "", id, r.method, now)
	rec.userID = user
	return map[string]any{"view": rec.obj}, nil
}
