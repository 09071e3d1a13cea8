"""The invoice document's HTML (Jinja2, autoescaped). Kept to the CSS subset xhtml2pdf renders:
tables with fixed column widths, no flexbox or grid, fonts from the PDF base-14 set."""

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Invoice {{ inv.invoice_number }}</title>
<style>
@page { size: a4 portrait; margin: 1.6cm 1.5cm 1.6cm 1.5cm; }
body { font-family: Helvetica, Arial, sans-serif; font-size: 9pt; color: #1f2933; }
h1 { font-size: 20pt; margin: 0; color: #102a43; }
h2 { font-size: 10.5pt; margin: 14pt 0 4pt 0; color: #102a43; }
table { width: 100%; }
td, th { padding: 3pt 4pt 3pt 4pt; vertical-align: top; }
.meta td { padding: 1pt 4pt 1pt 0; }
.label { color: #627d98; }
.lines th { background-color: #e4e7eb; text-align: left; font-size: 8.5pt; border-bottom: 1px solid #9aa5b1; }
.lines td { border-bottom: 0.5px solid #d9e2ec; }
.lines td.tiers { border-bottom: 0.5px solid #d9e2ec; padding: 0 4pt 4pt 16pt; font-size: 7.5pt; color: #486581; }
.lines tr.has-tiers td { border-bottom: none; }
.num, .lines th.num, .small th.num { text-align: right; }
.dates { font-size: 7.5pt; color: #627d98; }
.negative { color: #9b2c2c; }
.totals td { padding: 2pt 4pt 2pt 4pt; }
.totals tr.due td { font-size: 12pt; font-weight: bold; border-top: 1px solid #102a43; color: #102a43; }
.small th, .small td { font-size: 8pt; border-bottom: 0.5px solid #d9e2ec; }
.small th { background-color: #f0f4f8; text-align: left; }
.footer { margin-top: 16pt; font-size: 7pt; color: #829ab1; }
</style>
</head>
<body>
<table>
<tr>
<td style="width: 55%">
<h1>Invoice</h1>
<div style="font-size: 12pt; font-weight: bold; margin-top: 2pt">{{ inv.invoice_number }}</div>
{% if inv.replaces_invoice_number %}
<div class="label">Replaces invoice {{ inv.replaces_invoice_number }}</div>
{% endif %}
<div style="margin-top: 10pt"><span class="label">Bill to</span><br>
<b style="font-size: 11pt">{{ inv.customer_name }}</b><br>
<span class="label">Customer {{ inv.customer_id }} &middot; contract {{ inv.contract_id }}</span></div>
</td>
<td style="width: 45%">
<table class="meta">
<tr><td class="label" style="width: 40%">Issue date</td><td>{{ fmt.day(inv.issue_date) }}</td></tr>
<tr><td class="label">Due date</td><td><b>{{ fmt.day(inv.due_date) }}</b></td></tr>
<tr><td class="label">Terms</td><td>{{ inv.terms }}</td></tr>
<tr><td class="label">Billing period</td><td>{{ fmt.period(inv.period_start, inv.period_end) }}</td></tr>
<tr><td class="label">Currency</td><td>{{ inv.currency }}</td></tr>
<tr><td class="label">Amount due</td><td><b>{{ fmt.money(inv.total) }} {{ inv.currency }}</b></td></tr>
</table>
</td>
</tr>
</table>

<h2>Charges</h2>
<table class="lines">
<tr><th style="width: 52%">Description</th><th class="num" style="width: 14%">Quantity</th>
<th class="num" style="width: 17%">Unit price</th><th class="num" style="width: 17%">Amount</th></tr>
{% for line in lines %}
<tr{% if line.tiers %} class="has-tiers"{% endif %}>
<td>{{ line.description }}<br><span class="dates">{{ line.dates }}</span></td>
<td class="num">{{ line.quantity }}</td>
<td class="num">{{ line.unit_price }}</td>
<td class="num{% if line.negative %} negative{% endif %}">{{ line.amount }}</td>
</tr>
{% if line.tiers %}
<tr><td class="tiers" colspan="4">
{% for tier in line.tiers %}{{ tier }}{% if not loop.last %}<br>{% endif %}{% endfor %}
</td></tr>
{% endif %}
{% endfor %}
</table>

<table class="totals" style="margin-top: 6pt">
<tr><td style="width: 55%"></td><td style="width: 28%">Subtotal</td>
<td class="num" style="width: 17%">{{ fmt.money(inv.subtotal) }}</td></tr>
<tr><td></td><td>Discounts, commits and credits</td><td class="num">{{ fmt.money(inv.credits_applied) }}</td></tr>
<tr class="due"><td></td><td>Total due {{ inv.currency }}</td><td class="num">{{ fmt.money(inv.total) }}</td></tr>
<tr><td></td><td colspan="2" class="label">Payable by {{ fmt.day(inv.due_date) }} ({{ inv.terms }})</td></tr>
</table>

{% if applied %}
<h2>Commits and credits applied</h2>
<table class="small">
<tr><th style="width: 50%">Commit or credit</th><th style="width: 25%">Kind</th>
<th class="num" style="width: 25%">Applied</th></tr>
{% for row in applied %}
<tr><td>{{ row.commit_id }}</td><td>{{ row.kind }}</td><td class="num negative">{{ row.amount }}</td></tr>
{% endfor %}
</table>
{% endif %}

{% if balances %}
<h2>Remaining commit balances (end of {{ fmt.month(inv.billing_month) }})</h2>
<table class="small">
<tr><th style="width: 28%">Commit or credit</th><th style="width: 12%">Kind</th>
<th class="num" style="width: 12%">Opening</th>
<th class="num" style="width: 12%">Released</th><th class="num" style="width: 12%">Drawn</th>
<th class="num" style="width: 12%">Expired</th><th class="num" style="width: 12%">Remaining</th></tr>
{% for b in balances %}
<tr><td>{{ b.commit_id }}{% if b.note %}<br><span class="dates">{{ b.note }}</span>{% endif %}</td><td>{{ b.kind }}</td>
<td class="num">{{ b.opening }}</td><td class="num">{{ b.released }}</td><td class="num">{{ b.drawn }}</td>
<td class="num">{{ b.expired }}</td><td class="num"><b>{{ b.remaining }}</b></td></tr>
{% endfor %}
</table>
{% endif %}

<div class="footer">
All amounts in {{ inv.currency }}, each line rounded half away from zero to the currency's minor unit; the total is the
sum of the rounded lines. Tax, where it applies, is added by the accounting system.<br>
Invoice {{ inv.invoice_id }} &middot; contract version {{ inv.contract_version or "-" }} &middot; rate card version
{{ inv.rate_card_version or "-" }}
{% if inv.finalized_at %} &middot; finalized {{ fmt.timestamp(inv.finalized_at) }}{% endif %}
</div>
</body>
</html>
"""
