"""The page's stylesheet for the verdict table, rating chips, chart figures and sources.

Sizes in rem so the page reflows at 125% zoom; link and caption colours keep 4.5:1 contrast.
"""

CSS = """
header h1{font-size:1.3rem;margin:12px 0 2px} header p{margin:2px 0} nav.toc{padding:4px 0 6px}
article.notebook{margin-top:14px} article.notebook h1{font-size:1.35rem;margin:14px 0 4px}
article.notebook:first-of-type{border-top:0;margin-top:4px} article.notebook:first-of-type h1{margin-top:6px}
article.notebook>p{margin:4px 0}
.article-box{margin:4px 0 10px;font-size:.95rem}.article-box p{margin:2px 0}.article-box .lang{color:#555}
table.verdicts{border-collapse:collapse;width:100%;font-size:.8125rem;margin:4px 0 10px}
table.verdicts caption{text-align:left;font-weight:600;padding:2px 0;font-size:1rem}
table.verdicts th,table.verdicts td{border-top:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
table.verdicts th[scope=row]{font-weight:500;width:27%} table.verdicts td{width:45%} table.verdicts td[data-vintage=today]{width:28%}
table.verdicts th[scope=row] a{color:#0b4f7c}
table.verdicts td.same p.sentence{color:#444}
table.verdicts p.sentence{display:inline;margin-left:6px} table.verdicts .rating{padding:0 8px}
p.sentence{margin:2px 0 0;line-height:1.35}
p.caveat{margin:2px 0 0;line-height:1.3;color:#7a4a00;font-size:.95em} p.caveat::before{content:"⚠ "}
.claim-verdicts .said{display:inline}
table.verdicts .said{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:6;overflow:hidden}
table.verdicts p.caveat{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;overflow:hidden}
.context-part{margin:6px 0 12px} .context-part h3{font-size:1.1rem;margin:8px 0 2px} .context-part p{margin:2px 0}
ul.questions{padding-left:18px;margin:4px 0} ul.questions li{margin:6px 0}
p.question{font-weight:600} p.prompted{color:#444;font-size:.9rem} p.finding .when{font-weight:600}
.rating{display:inline-block;padding:2px 10px;border-radius:4px;font:600 .85rem/1.4 system-ui,sans-serif;
 border:1.5px solid #1f2328;white-space:nowrap}
.rating.small{font-size:.75rem;padding:0 6px}
.rating-not_yet_testable,.rating-not_evaluated{border-style:dashed}
.claim-verdicts{display:flex;gap:16px;flex-wrap:wrap}.claim-verdicts .vintage{flex:1 1 300px}
.claim-verdicts .when{font-weight:600;margin-right:6px}
figure.chart{margin:12px 0 0} figure.chart figcaption{font-size:.85rem;color:#444;margin-top:2px}
.chart-foot{display:flex;justify-content:space-between;gap:12px;flex-wrap:wrap;align-items:flex-start}
a.csv-link{font:600 .85rem system-ui,sans-serif;color:#0b4f7c;white-space:nowrap}
p.empty-chart{border:1px dashed #8c959f;padding:10px;color:#444;margin:12px 0}
details{margin:8px 0} details summary{cursor:pointer;color:#0b4f7c;font-weight:600}
table.details{border-collapse:collapse;font-size:.85rem} table.details td,table.details th
{border-top:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
ol.sources li{margin:6px 0}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
"""
