package schedule

// A small min-cost flow solver for the rota. Costs are vectors compared
// lexicographically, so the rota's goals rank strictly (staffing before
// coverage before pairing before balance …) without picking weights that
// might overflow or be outweighed. Vectors under component-wise addition and
// lexicographic order are an ordered group, which is all shortest paths need.

// Components of a cost, most important first.
const (
	costStaff    = iota // a session unit below PerSession: -1
	costLeader          // a leader's first session: -1
	costCover           // any other deputy's first session: -1
	costPair            // a session's first experienced deputy: -1
	costBalance         // the k-th session of a deputy: +k
	costRotation        // distance from the deputy's round-robin turn: ≥ 0
	costLen
)

type cost [costLen]int64

func (a cost) plus(b cost) cost {
	for i := range a {
		a[i] += b[i]
	}
	return a
}

func (a cost) neg() cost {
	for i := range a {
		a[i] = -a[i]
	}
	return a
}

func (a cost) less(b cost) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

func costOf(component int, v int64) cost {
	var c cost
	c[component] = v
	return c
}

type arc struct {
	to, rev int // head node; index of the reverse arc in adj[to]
	cap     int // residual capacity
	cost    cost
}

type network struct {
	adj [][]arc
}

func (g *network) node() int {
	g.adj = append(g.adj, nil)
	return len(g.adj) - 1
}

// edge adds an arc u→v and returns its index in adj[u].
func (g *network) edge(u, v, capacity int, c cost) int {
	g.adj[u] = append(g.adj[u], arc{to: v, rev: len(g.adj[v]), cap: capacity, cost: c})
	g.adj[v] = append(g.adj[v], arc{to: u, rev: len(g.adj[u]) - 1, cap: 0, cost: c.neg()})
	return len(g.adj[u]) - 1
}

// flow reports how much flows on arc i of node u, whose capacity was capacity.
func (g *network) flow(u, i, capacity int) int {
	return capacity - g.adj[u][i].cap
}

// minCost pushes flow from s to t along shortest paths for as long as a path
// lowers the total cost, which leaves the cheapest flow of any size. The
// graph starts acyclic, so it has no negative cycle and shortest paths
// (Bellman-Ford, queue order) are well defined; the queue order is fixed, so
// the result is the same on every run.
func (g *network) minCost(s, t int) {
	n := len(g.adj)
	dist := make([]cost, n)
	reached := make([]bool, n)
	queued := make([]bool, n)
	prevNode := make([]int, n)
	prevArc := make([]int, n)
	for {
		clear(reached)
		reached[s] = true
		dist[s] = cost{}
		queue := []int{s}
		queued[s] = true
		for len(queue) > 0 {
			u := queue[0]
			queue = queue[1:]
			queued[u] = false
			for i, a := range g.adj[u] {
				if a.cap == 0 {
					continue
				}
				d := dist[u].plus(a.cost)
				if !reached[a.to] || d.less(dist[a.to]) {
					reached[a.to] = true
					dist[a.to] = d
					prevNode[a.to], prevArc[a.to] = u, i
					if !queued[a.to] {
						queued[a.to] = true
						queue = append(queue, a.to)
					}
				}
			}
		}
		if !reached[t] || !dist[t].less(cost{}) {
			return
		}
		push := -1
		for v := t; v != s; v = prevNode[v] {
			if c := g.adj[prevNode[v]][prevArc[v]].cap; push < 0 || c < push {
				push = c
			}
		}
		for v := t; v != s; v = prevNode[v] {
			a := &g.adj[prevNode[v]][prevArc[v]]
			a.cap -= push
			g.adj[v][a.rev].cap += push
		}
	}
}
