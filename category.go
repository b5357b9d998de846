package lianluo

// CategoryGroup is a top category with the choices filed under it, as every
// form that asks for a category offers them — the voter's /submit, the
// staff's case form and the diary — so that one category has one name.
// A top category without subcategories is a group with no Name holding
// just itself; consecutive ones share a group.
type CategoryGroup struct {
	Name    string           `json:"name"`
	Choices []CategoryChoice `json:"choices"`
}

// CategoryChoice is one category as a form offers it: Value is what is
// stored (the category's name), Label what the form shows.
type CategoryChoice struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// CategoryGroups arranges the category tree for a form. A top category with
// subcategories is its group's last choice, shown as "其他城乡建设问题":
// an opinion about the field that fits none of the subcategories.
func CategoryGroups(cats []Category) []CategoryGroup {
	children := map[int64][]Category{}
	for _, c := range cats {
		if c.ParentID != nil {
			children[*c.ParentID] = append(children[*c.ParentID], c)
		}
	}
	var out []CategoryGroup
	for _, c := range cats {
		if c.ParentID != nil {
			continue
		}
		kids := children[c.ID]
		if len(kids) == 0 {
			self := CategoryChoice{Value: c.Name, Label: c.Name}
			if n := len(out); n > 0 && out[n-1].Name == "" {
				out[n-1].Choices = append(out[n-1].Choices, self)
			} else {
				out = append(out, CategoryGroup{Choices: []CategoryChoice{self}})
			}
			continue
		}
		g := CategoryGroup{Name: c.Name}
		for _, k := range kids {
			g.Choices = append(g.Choices, CategoryChoice{Value: k.Name, Label: k.Name})
		}
		g.Choices = append(g.Choices, CategoryChoice{Value: c.Name, Label: CategoryLabel(c.Name, true)})
		out = append(out, g)
	}
	return out
}

// CategoryLabel is how a form names a category: a top category that has
// subcategories reads "其他…问题" among them.
func CategoryLabel(name string, hasChildren bool) string {
	if hasChildren {
		return "其他" + name + "问题"
	}
	return name
}
