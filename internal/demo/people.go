package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// gen makes the synthetic people of the demo: names, phone numbers and the
// occupations of deputies. Every choice comes from one PCG with a fixed
// seed, so the demo is the same on every run; callers must ask in a fixed
// order (no map iteration).
type gen struct {
	r      *rand.Rand
	names  map[string]bool
	phones map[string]bool
	// posts and places already held: one 会长 per association, one deputy
	// per village or community committee.
	posts  map[string]bool
	places map[string]bool
}

func newGen() *gen {
	return &gen{
		r:      rand.New(rand.NewPCG(2026, 330206)),
		names:  map[string]bool{},
		phones: map[string]bool{},
		posts:  map[string]bool{},
		places: map[string]bool{},
	}
}

// Surnames common in Ningbo and ordinary given names. Any pairing can be
// someone's real name; famous holds those of well-known people the lists
// can produce, which are skipped.
var (
	surnames  = []rune("王陈张李周林徐胡应邬贺孙朱沈郑俞吴杨丁史戴乐虞董鲍竺柴毛蒋顾邵钟叶金方范严童翁刘黄赵")
	maleGiven = strings.Fields(`建军 建平 建明 国平 国良 国强 海军 海波 海明 立新 伟东 伟明 志刚 志明 永康 永平
		文斌 晓峰 晓军 振华 振宇 宏亮 宏斌 俊峰 浩然 宇航 鹏飞 明辉 成刚 忠良 松林 杭波 亚军 新民 春雷 雪峰
		庆丰 金龙 德明 荣华 利民 卫国 军波 剑锋 一鸣 天宇 启明 家乐 学军 耀华`)
	femaleGiven = strings.Fields(`丽萍 丽娟 丽华 芳芳 燕萍 敏芳 静怡 玲玲 红霞 雪芬 佳慧 慧琳 倩倩 婷婷 娟娟 洁琼
		秀英 秀芳 雅琴 晓燕 晓红 海燕 春燕 亚萍 美华 素芬 月娥 彩霞 蓓蕾 琳娜 文君 丹丹 佳琪 梦婷 思雨 欣怡
		碧云 雪梅 巧玲 惠娟 建英 美琴 凤仙 丽君 银娣 春芳 琼瑶 晓丽`)
)

var famous = map[string]bool{
	"王志刚": true, "王立军": true, "陈晓东": true, "王丽萍": true, "赵丽华": true, "刘晓燕": true,
	"李宇航": true, "王海燕": true, "陈琼瑶": true, "林青霞": true, "李春雷": true, "张建军": true,
}

// name returns a new name not used before in this demo.
func (g *gen) name(female bool) string {
	given := maleGiven
	if female {
		given = femaleGiven
	}
	for {
		n := string(surnames[g.r.IntN(len(surnames))]) + given[g.r.IntN(len(given))]
		if !g.names[n] && !famous[n] {
			g.names[n] = true
			return n
		}
	}
}

// female reports true with probability p.
func (g *gen) female(p float64) bool { return g.r.Float64() < p }

var mobilePrefixes = []string{"130", "133", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "177", "180", "187", "188", "189"}

// mobile returns a new synthetic mobile number (lianluo.ValidPhone accepts it).
func (g *gen) mobile() string {
	for {
		p := mobilePrefixes[g.r.IntN(len(mobilePrefixes))] + fmt.Sprintf("%08d", g.r.IntN(100_000_000))
		if !g.phones[p] {
			g.phones[p] = true
			return p
		}
	}
}

// landline returns a new synthetic Ningbo office number, 0574-<exchange>xxxx
// (8686 in Beilun).
func (g *gen) landline(exchange string) string {
	for {
		p := fmt.Sprintf("0574-%s%04d", exchange, g.r.IntN(10_000))
		if !g.phones[p] {
			g.phones[p] = true
			return p
		}
	}
}

// pick returns one element of xs.
func pick[T any](g *gen, xs []T) T { return xs[g.r.IntN(len(xs))] }

// weighted is a choice with a weight.
type weighted[T any] struct {
	w int
	v T
}

func pickWeighted[T any](g *gen, xs []weighted[T]) T {
	total := 0
	for _, x := range xs {
		total += x.w
	}
	n := g.r.IntN(total)
	for _, x := range xs {
		if n < x.w {
			return x.v
		}
		n -= x.w
	}
	return xs[len(xs)-1].v
}

var parties = []weighted[string]{
	{60, "中共党员"}, {22, "群众"}, {3, "民革党员"}, {3, "民盟盟员"}, {3, "民建会员"}, {2, "民进会员"},
	{2, "农工党党员"}, {1, "致公党党员"}, {2, "九三学社社员"}, {2, "无党派人士"},
}

// party returns a deputy's political affiliation (政治面貌).
func (g *gen) party() string { return pickWeighted(g, parties) }

// ethnicity is mostly 汉族; 北仑 has many workers from other provinces.
func (g *gen) ethnicity() string {
	if g.r.IntN(30) == 0 {
		return pick(g, []string{"回族", "畲族", "土家族", "苗族"})
	}
	return "汉族"
}

// Parts of synthetic company names: brand + trade. Combinations may match a
// real firm by chance; no real firm is named on purpose.
var (
	brands = []string{"恒远", "甬港", "联泰", "金鼎", "瑞丰", "博创", "海晟", "东信", "宏盛", "通达", "润泽", "精工",
		"天阔", "凯越", "新昌隆", "嘉和", "启明", "华泓", "力拓达", "永固"}
	trades = []string{"模具", "机械", "汽车零部件", "压铸", "五金", "物流", "电器", "塑料机械", "新材料", "化工", "钢结构", "电子"}
	topics = []string{"老旧小区改造", "居家养老服务", "港区集卡通行安全", "中小学学位", "农村人居环境整治", "企业用工",
		"基层医疗服务", "垃圾分类", "河道整治", "食品安全", "新居民子女入学", "停车难", "公交线路优化", "小微企业融资",
		"农产品销售", "消防安全", "背街小巷改造", "群众文化活动"}
)

func (g *gen) company() string {
	return "宁波" + pick(g, brands) + pick(g, trades) + "有限公司"
}

// job is what a deputy does: 职业 and 工作单位及职务, and the village or
// community whose committee they sit on.
type job struct{ occupation, workUnit, place string }

// town is a 街道 of the demo with its communities and villages (real names
// from the region data, shortened: 璎珞村委会 → 璎珞村).
type town struct {
	code, name  string // 330206004, 大碶街道
	communities []string
	villages    []string
}

// bare is the town's name without 街道: 大碶.
func (t *town) bare() string { return strings.TrimSuffix(t.name, "街道") }

// job returns a plausible occupation for an ordinary deputy elected in t,
// with a post nobody else in the demo holds.
func (g *gen) job(t *town) job {
	for {
		j := g.anyJob(t)
		if g.posts[j.workUnit] || (j.place != "" && g.places[j.place]) {
			continue
		}
		g.hold(j)
		return j
	}
}

// hold marks a job's post and place as taken.
func (g *gen) hold(j job) {
	g.posts[j.workUnit] = true
	if j.place != "" {
		g.places[j.place] = true
	}
}

func (g *gen) anyJob(t *town) job {
	kinds := []weighted[func() job]{
		{18, func() job {
			return job{"企业负责人", g.company() + pick(g, []string{"董事长", "总经理", "董事长兼总经理"}), ""}
		}},
		{12, func() job {
			return job{"企业职工", g.company() + pick(g, []string{"车间主任", "技术员", "质检员", "工程师", "一线员工"}), ""}
		}},
		{5, func() job {
			return job{"港口职工", "宁波" + pick(g, brands) + "集装箱码头有限公司" + pick(g, []string{"桥吊司机", "调度员", "班组长"}), ""}
		}},
		{8, func() job {
			return job{"教师", "北仑区" + t.bare() + pick(g, []string{"中心小学", "中学", "中心幼儿园", "实验小学"}) + "教师", ""}
		}},
		{6, func() job {
			return job{"医务人员", t.name + "社区卫生服务中心" + pick(g, []string{"全科医生", "主治医师", "副主任医师"}), ""}
		}},
		{10, func() job {
			if len(t.communities) == 0 {
				return job{"社区工作者", t.name + "社会工作站负责人", ""}
			}
			c := pick(g, t.communities)
			return job{"社区工作者", c + pick(g, []string{"党委书记、居委会主任", "居委会主任", "党委副书记"}), c}
		}},
		{10, func() job {
			if len(t.villages) == 0 {
				return job{"社区工作者", t.name + "社会工作站负责人", ""}
			}
			v := pick(g, t.villages)
			return job{"村干部", v + pick(g, []string{"党委书记", "党委书记、村委会主任", "村委会主任"}), v}
		}},
		{6, func() job {
			return job{"个体工商户", "个体经营（" + pick(g, []string{"五金店", "超市", "农家乐", "餐馆", "副食品店", "汽修店"}) + "）", ""}
		}},
		{4, func() job {
			v := t.name
			if len(t.villages) > 0 {
				v = pick(g, t.villages)
			}
			return job{"农民", v + "村民（" + pick(g, []string{"葡萄", "草莓", "水稻", "花卉苗木", "茶叶"}) + "种植大户）", ""}
		}},
		{3, func() job { return job{"律师", "浙江" + pick(g, brands) + "律师事务所律师", ""} }},
		{3, func() job {
			return job{"社会组织负责人", "北仑区" + pick(g, []string{"应急救援", "助老", "青少年", "新居民"}) + "志愿服务协会会长", ""}
		}},
	}
	return pickWeighted(g, kinds)()
}

// bio is a deputy's short public profile.
func (g *gen) bio() string {
	a := g.r.IntN(len(topics))
	b := g.r.IntN(len(topics) - 1)
	if b >= a {
		b++
	}
	return fmt.Sprintf("履职以来重点关注%s、%s等问题，%s。", topics[a], topics[b],
		pick(g, []string{"坚持每月进站接待选民", "坚持撰写民情日记", "积极参加视察和专题调研", "经常走访联系选民"}))
}
