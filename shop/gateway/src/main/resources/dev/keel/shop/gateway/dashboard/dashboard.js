'use strict';

// The Shop's dashboard. Every panel loads on its own from the gateway's API, so one failing service
// only blanks its own panel ("service unavailable", with the gateway's problem detail) and never the page.
// Text from the API is only ever put into the page as text (textContent), never as HTML.

class ApiError extends Error {
    constructor(status, detail) {
        super(detail);
        this.status = status;
    }
}

const api = {
    async call(method, path, headers) {
        let response;
        try {
            response = await fetch(path, {method, headers: Object.assign({'Accept': 'application/json'}, headers || {})});
        } catch (failure) {
            throw new ApiError(0, 'the gateway did not answer (' + failure.message + ')');
        }
        const text = await response.text();
        let body = null;
        try {
            body = text ? JSON.parse(text) : null;
        } catch (notJson) {
            body = null;
        }
        if (!response.ok) {
            const detail = body && body.detail ? body.detail : 'HTTP ' + response.status;
            throw new ApiError(response.status, detail);
        }
        return body;
    },
    get(path) {
        return api.call('GET', path);
    },
    post(path) {
        const actor = document.getElementById('actor').value.trim();
        return api.call('POST', path, actor ? {'X-Actor': actor} : {});
    },
};

// ---------- small DOM helpers ----------

function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
        if (name === 'class') {
            node.className = value;
        } else if (name.startsWith('on')) {
            node.addEventListener(name.substring(2), value);
        } else if (value !== undefined && value !== null && value !== false) {
            node.setAttribute(name, value);
        }
    }
    for (const child of children.flat()) {
        if (child === null || child === undefined) {
            continue;
        }
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
}

function field(form, name) {
    return form.elements.namedItem(name).value.trim();
}

function body(section) {
    return document.querySelector('#' + section + ' .body');
}

function show(section, ...content) {
    body(section).replaceChildren(...content);
}

function unavailable(error) {
    const what = error.status === 0 ? 'gateway unreachable' : error.status >= 500 ? 'service unavailable' : 'not available';
    return el('div', {class: 'unavailable'}, el('strong', {}, what + ': '), error.message);
}

function badge(text, kind) {
    return el('span', {class: 'badge ' + (kind || '')}, text);
}

const GOOD = ['UP', 'CLOSED', 'APPROVED', 'DELIVERED', 'SHIPPED', 'CHARGED', 'COMPLETED', 'LIVE', 'complete', 'cached', 'succeeded'];
const BAD = ['DOWN', 'UNREACHABLE', 'OPEN', 'REJECTED', 'DECLINED', 'FAILED', 'PARKED', 'missing', 'failed', 'unknown', 'COMPENSATED'];

function statusBadge(status) {
    const text = String(status);
    return badge(text, GOOD.includes(text) ? 'ok' : BAD.includes(text) ? 'bad' : 'warn');
}

function shortId(id) {
    const text = String(id);
    return text.length > 13 ? text.substring(0, 8) + '…' + text.substring(text.length - 4) : text;
}

function money(amount) {
    return amount === undefined || amount === null ? '' : Number(amount).toFixed(2) + ' €';
}

function when(iso) {
    if (!iso) {
        return '';
    }
    const date = new Date(iso);
    if (isNaN(date)) {
        return String(iso);
    }
    return date.toLocaleString() + ' (' + ago(date) + ')';
}

function ago(date) {
    const seconds = Math.round((Date.now() - date.getTime()) / 1000);
    if (seconds < 60) {
        return seconds + ' s ago';
    }
    if (seconds < 3600) {
        return Math.round(seconds / 60) + ' min ago';
    }
    if (seconds < 86400) {
        return Math.round(seconds / 3600) + ' h ago';
    }
    return Math.round(seconds / 86400) + ' d ago';
}

function millis(value) {
    const ms = Number(value);
    if (isNaN(ms)) {
        return String(value);
    }
    return ms < 1000 ? ms + ' ms' : ms < 60000 ? (ms / 1000).toFixed(1) + ' s' : (ms / 60000).toFixed(1) + ' min';
}

function isTime(key, value) {
    return typeof value === 'string' && /(At|Time|time|^at)$/.test(key) && !isNaN(Date.parse(value));
}

/** A cell for any value of an item whose shape the dashboard does not know in advance. */
function cell(key, value) {
    if (value === null || value === undefined) {
        return el('td', {}, '');
    }
    if (/status|state/i.test(key) && typeof value === 'string') {
        return el('td', {}, statusBadge(value));
    }
    if (isTime(key, value)) {
        return el('td', {title: value}, ago(new Date(value)));
    }
    if (/(Ms|Millis)$/.test(key) && typeof value === 'number') {
        return el('td', {class: 'num'}, millis(value));
    }
    if (typeof value === 'number') {
        return el('td', {class: 'num'}, String(value));
    }
    if (typeof value === 'object') {
        const text = JSON.stringify(value);
        return el('td', {class: 'mono', title: text}, text.length > 60 ? text.substring(0, 60) + '…' : text);
    }
    const text = String(value);
    return el('td', {title: text}, /^[0-9a-f-]{36}$/.test(text) ? shortId(text) : text.length > 80 ? text.substring(0, 80) + '…' : text);
}

/** The columns of a list of objects: the keys they have, the first ones first, at most eight. */
function columnsOf(items, first) {
    const keys = [];
    for (const key of first || []) {
        if (items.some(item => item[key] !== undefined)) {
            keys.push(key);
        }
    }
    for (const item of items) {
        for (const key of Object.keys(item)) {
            if (!keys.includes(key) && typeof item[key] !== 'object') {
                keys.push(key);
            }
        }
    }
    return keys.slice(0, 8);
}

function table(columns, rows, actions) {
    return el('div', {class: 'scroll'}, el('table', {},
        el('thead', {}, el('tr', {}, actions ? el('th', {}, '') : null, columns.map(column => el('th', {}, column)))),
        el('tbody', {}, rows.map(row => el('tr', {},
            actions ? el('td', {class: 'actions'}, actions(row)) : null,
            columns.map(column => cell(column, row[column])))))));
}

// ---------- aggregates from every service (keel-composition's shape) ----------

/** The items every service gave, each with its service, and notes for the services that did not answer. */
function gathered(response) {
    const items = [];
    const notes = [];
    for (const [service, part] of Object.entries(response.parts || {})) {
        if (part.status === 'missing') {
            notes.push(el('div', {class: 'note'}, service + ' did not answer (' + part.reason + '): ' + (part.detail || '')));
            continue;
        }
        const value = (response.data || {})[service];
        if (value === undefined) {
            continue;
        }
        let list = Array.isArray(value) ? value : null;
        if (!list && value && typeof value === 'object') {
            const inner = Object.values(value).find(Array.isArray);
            list = inner || [value];
        }
        for (const item of list || []) {
            items.push(typeof item === 'object' && item !== null ? Object.assign({service}, item) : {service, value: item});
        }
    }
    return {items, notes};
}

// ---------- panels ----------

async function loadServices() {
    try {
        const health = await api.get('/api/admin/services');
        const tiles = health.services.map(service => {
            const kind = service.status === 'UP' ? (service.circuitBreaker === 'OPEN' ? 'warn' : 'ok') : service.status === 'DOWN' ? 'warn' : 'bad';
            const checks = Object.entries(service.checks || {}).map(([name, result]) => name + ': ' + result).join(', ');
            return el('div', {class: 'tile ' + kind, title: checks},
                el('div', {class: 'name'}, service.name, ' ', statusBadge(service.status)),
                el('div', {class: 'small'}, service.url),
                service.circuitBreaker !== 'NONE' ? el('div', {class: 'small'}, 'circuit ', statusBadge(service.circuitBreaker)) : null,
                service.detail ? el('div', {class: 'small'}, service.detail) : null);
        });
        show('services', el('div', {class: 'muted'}, health.up + ' of ' + health.total + ' up'), el('div', {class: 'tiles'}, tiles));
    } catch (error) {
        show('services', unavailable(error));
    }
}

async function loadStatistics() {
    const host = document.querySelector('#orders .stats');
    try {
        const statistics = await api.get('/api/order-view/statistics');
        const stat = (value, label) => el('div', {class: 'stat'}, el('div', {class: 'value'}, value), el('div', {class: 'label'}, label));
        host.replaceChildren(stat(String(statistics.orders), 'orders'), stat(money(statistics.revenue), 'revenue'),
            stat(money(statistics.averageOrderValue), 'average order'),
            ...Object.entries(statistics.byStatus || {}).map(([status, count]) => stat(String(count), status.toLowerCase())));
    } catch (error) {
        host.replaceChildren(unavailable(error));
    }
}

async function loadOrders() {
    const form = document.getElementById('order-search');
    const query = new URLSearchParams({limit: '20'});
    if (field(form, 'q')) {
        query.set('q', field(form, 'q'));
    }
    if (field(form, 'status')) {
        query.set('status', field(form, 'status'));
    }
    try {
        const page = await api.get(`/api/order-view/orders?${query}`);
        const rows = page.orders.map(order => el('tr', {class: 'clickable', onclick: () => openOrder(order.orderId)},
            el('td', {class: 'mono', title: order.orderId}, shortId(order.orderId)),
            el('td', {}, order.customerName),
            el('td', {}, statusBadge(order.status)),
            el('td', {class: 'num'}, String(order.items)),
            el('td', {class: 'num'}, money(order.total)),
            el('td', {title: order.placedAt}, when(order.placedAt))));
        show('orders',
            el('div', {class: 'muted'}, page.total + ' orders; read model lag ' + millis(page.lagMillis)),
            el('div', {class: 'scroll'}, el('table', {},
                el('thead', {}, el('tr', {}, ['order', 'customer', 'status', 'items', 'total', 'placed'].map(h => el('th', {}, h)))),
                el('tbody', {}, rows))));
    } catch (error) {
        show('orders', unavailable(error));
    }
}

let openOrderId = null;

async function openOrder(id) {
    openOrderId = id;
    document.querySelector('#order-open [name=order]').value = id;
    const [details, history] = await Promise.allSettled([
        api.get(`/api/orders/${encodeURIComponent(id)}/details`),
        api.get(`/api/orders/${encodeURIComponent(id)}/history`)]);
    const content = [];
    if (details.status === 'fulfilled') {
        content.push(orderDetails(details.value));
    } else {
        content.push(unavailable(details.reason));
    }
    content.push(el('h3', {}, 'History'));
    content.push(history.status === 'fulfilled' ? orderHistory(history.value) : unavailable(history.reason));
    show('order', ...content);
}

function partChips(parts) {
    return el('div', {class: 'parts'}, Object.entries(parts).map(([name, part]) => {
        const text = name + ': ' + part.status + (part.reason ? ' (' + part.reason + ')' : '') + (part.ageMs !== undefined ? ', ' + millis(part.ageMs) + ' old' : '');
        return el('span', {title: part.detail || ''}, badge(text,
            part.status === 'complete' || part.status === 'cached' ? 'ok' : part.status === 'missing' ? 'bad' : 'warn'));
    }));
}

function absent(parts, name) {
    const part = parts[name];
    if (part && part.status === 'missing') {
        return el('div', {class: 'note'}, 'unavailable: ' + (part.detail || part.reason));
    }
    return el('div', {class: 'muted'}, 'none yet');
}

function kv(pairs) {
    return el('dl', {class: 'kv'}, pairs.filter(([, value]) => value !== undefined && value !== null && value !== '')
        .flatMap(([key, value]) => [el('dt', {}, key), el('dd', {}, value instanceof Node ? value : String(value))]));
}

function orderDetails(composed) {
    const data = composed.data;
    const order = data.order;
    const parts = composed.parts;
    const products = {};
    for (const product of data.products || []) {
        products[product.sku] = product;
    }
    const lines = order.lines.map(line => el('tr', {},
        el('td', {class: 'mono'}, line.sku),
        el('td', {}, line.name),
        el('td', {class: 'num'}, String(line.quantity)),
        el('td', {class: 'num'}, money(line.unitPrice)),
        el('td', {class: 'num'}, products[line.sku] ? money(products[line.sku].price) : '?')));
    const stale = Object.values(parts).some(part => part.status === 'stale' || part.status === 'default');
    return el('div', {},
        el('div', {}, composed.complete ? badge('complete', 'ok') : badge(stale ? 'partial: some parts stale or missing' : 'partial', 'warn')),
        partChips(parts),
        el('div', {class: 'columns'},
            el('div', {}, el('h3', {}, 'Order'), kv([['id', order.id], ['status', statusBadge(order.status)], ['reason', order.reason],
                ['total', money(order.total)], ['placed', when(order.placedAt)], ['version', order.version],
                ['ships to', [order.shippingAddress.street, order.shippingAddress.postalCode + ' ' + order.shippingAddress.city,
                    order.shippingAddress.country].join(', ')]])),
            el('div', {}, el('h3', {}, 'Customer'), data.customer
                ? kv([['name', data.customer.name], ['email', data.customer.email], ['since', when(data.customer.registeredAt)]])
                : absent(parts, 'customer')),
            el('div', {}, el('h3', {}, 'Payment'), data.payment
                ? kv([['status', statusBadge(data.payment.status)], ['amount', money(data.payment.amount)], ['reason', data.payment.reason],
                    ['updated', when(data.payment.updatedAt)]])
                : absent(parts, 'payment')),
            el('div', {}, el('h3', {}, 'Shipment'), data.shipment
                ? kv([['status', statusBadge(data.shipment.status)], ['items', data.shipment.items], ['updated', when(data.shipment.updatedAt)]])
                : absent(parts, 'shipment'))),
        el('h3', {}, 'Lines'),
        el('table', {}, el('thead', {}, el('tr', {}, ['SKU', 'name', 'qty', 'price paid', 'catalog price now'].map(h => el('th', {}, h)))),
            el('tbody', {}, lines)));
}

function orderHistory(events) {
    if (!Array.isArray(events) || events.length === 0) {
        return el('div', {class: 'muted'}, 'no events');
    }
    return timeline(events.map(event => ({
        at: event.recordedAt,
        what: 'v' + event.version + ' ' + String(event.type).replace(/^.*\./, ''),
        extra: event.data && event.data.reason ? event.data.reason : '',
    })));
}

// ---------- sagas ----------

async function loadSagas() {
    const form = document.getElementById('saga-filter');
    const query = new URLSearchParams();
    if (field(form, 'status')) {
        query.set('status', field(form, 'status'));
    }
    if (field(form, 'type')) {
        query.set('type', field(form, 'type'));
    }
    try {
        const {items, notes} = gathered(await api.get(`/api/admin/sagas?${query}`));
        const columns = columnsOf(items, ['service', 'id', 'type', 'status', 'state', 'orderId', 'updatedAt']);
        const rows = items.map(item => el('tr', {class: 'clickable', onclick: () => openSaga(sagaId(item))},
            columns.map(column => cell(column, item[column]))));
        show('sagas', ...notes, items.length === 0 ? el('div', {class: 'muted'}, 'no saga instances') : el('div', {class: 'scroll'},
            el('table', {}, el('thead', {}, el('tr', {}, columns.map(column => el('th', {}, column)))), el('tbody', {}, rows))));
    } catch (error) {
        show('sagas', unavailable(error));
    }
}

function sagaId(item) {
    return item.id || item.sagaId || item.instanceId;
}

const TRANSITION_LISTS = ['transitions', 'transitionLog', 'log', 'history', 'steps', 'events'];

async function openSaga(id) {
    const host = document.querySelector('#sagas .timeline-host');
    try {
        const found = await api.get(`/api/admin/sagas/${encodeURIComponent(id)}`);
        const saga = found.saga;
        const key = TRANSITION_LISTS.find(name => Array.isArray(saga[name]))
            || Object.keys(saga).find(name => Array.isArray(saga[name]) && saga[name].every(entry => typeof entry === 'object'));
        const entries = key ? saga[key] : [];
        host.replaceChildren(el('h3', {}, 'Saga ' + shortId(id) + ' on ' + found.service + ' ', statusBadge(saga.status || saga.state || '?')),
            entries.length === 0 ? el('div', {class: 'muted'}, 'no transitions recorded') : timeline(entries.map(transition)));
    } catch (error) {
        host.replaceChildren(unavailable(error));
    }
}

/** One entry of a saga's transition log, whatever its field names. */
function transition(entry) {
    const at = entry.at || entry.recordedAt || entry.timestamp || entry.time || entry.occurredAt;
    const moved = entry.from !== undefined || entry.to !== undefined ? (entry.from || '·') + ' → ' + (entry.to || '·') : null;
    const what = moved || entry.step || entry.state || entry.status || entry.event || entry.type || entry.name || JSON.stringify(entry);
    const extra = [entry.reply, entry.command, entry.message, entry.reason, entry.error].filter(Boolean).join(' · ');
    return {at, what, extra};
}

function timeline(entries) {
    let previous = null;
    return el('ol', {class: 'timeline'}, entries.map(entry => {
        const date = entry.at ? new Date(entry.at) : null;
        const gap = previous && date && !isNaN(date) ? '+' + millis(date - previous) : '';
        if (date && !isNaN(date)) {
            previous = date;
        }
        const text = (entry.what + ' ' + entry.extra).toUpperCase();
        const kind = /FAIL|REJECT|COMPENSAT|TIMEOUT|DECLIN|REFUS|CANCEL/.test(text) ? 'bad' : /APPROVED|COMPLETED|DELIVERED/.test(text) ? 'ok' : '';
        return el('li', {class: kind},
            el('div', {class: 'when'}, date && !isNaN(date) ? date.toLocaleTimeString() + '.' + String(date.getMilliseconds()).padStart(3, '0') : '', ' ',
                el('span', {class: 'gap'}, gap)),
            el('div', {class: 'what'}, entry.what),
            entry.extra ? el('div', {class: 'muted'}, entry.extra) : null);
    }));
}

// ---------- projections, parked messages, replicas, audit ----------

async function loadProjections() {
    try {
        const {items, notes} = gathered(await api.get('/api/admin/projections'));
        const columns = columnsOf(items, ['service', 'name', 'status', 'state', 'version', 'lagMs', 'lagMillis', 'lag']);
        show('projections', ...notes, items.length === 0 ? el('div', {class: 'muted'}, 'no projections') : table(columns, items, item => {
            const name = item.name || item.projection || item.id;
            return el('button', {type: 'button', onclick: event => operate(event.target, 'projections',
                    'Rebuild projection ' + name + ' of ' + item.service + '?',
                    () => api.post(`/api/admin/projections/${encodeURIComponent(name)}/rebuild?service=${encodeURIComponent(item.service)}`))},
                'Rebuild');
        }));
    } catch (error) {
        show('projections', unavailable(error));
    }
}

async function loadParked() {
    try {
        const {items, notes} = gathered(await api.get('/api/admin/parked'));
        const columns = columnsOf(items, ['service', 'id', 'consumer', 'key', 'state', 'reason', 'error', 'attempts', 'waitingBehind']);
        show('parked', ...notes, items.length === 0 ? el('div', {class: 'muted'}, 'no parked messages') : table(columns, items, item => [
            el('button', {type: 'button', onclick: event => operate(event.target, 'parked',
                    'Retry message ' + item.id + ' of ' + item.service + '?',
                    () => api.post(`/api/admin/parked/${encodeURIComponent(item.service)}/${encodeURIComponent(item.id)}/retry`))}, 'Retry'),
            ' ',
            el('button', {type: 'button', class: 'danger', onclick: event => operate(event.target, 'parked',
                    'Skip message ' + item.id + ' of ' + item.service + '? It will never be handled.',
                    () => api.post(`/api/admin/parked/${encodeURIComponent(item.service)}/${encodeURIComponent(item.id)}/skip`))}, 'Skip')]));
    } catch (error) {
        show('parked', unavailable(error));
    }
}

async function loadReplicas() {
    try {
        const {items, notes} = gathered(await api.get('/api/admin/replicas'));
        const columns = columnsOf(items, ['service', 'name', 'table', 'rows', 'stalenessMs', 'lagMs', 'lastEventAt', 'updatedAt']);
        show('replicas', ...notes, items.length === 0 ? el('div', {class: 'muted'}, 'no replicas') : table(columns, items));
    } catch (error) {
        show('replicas', unavailable(error));
    }
}

async function loadAudit() {
    try {
        const page = await api.get('/api/admin/audit?limit=15');
        const rows = page.entries.map(entry => ({
            startedAt: entry.startedAt, actor: entry.actor, action: entry.action, service: entry.service,
            target: entry.target, outcome: entry.outcome, httpStatus: entry.httpStatus, detail: entry.detail,
        }));
        show('audit', el('div', {class: 'muted'}, page.total + ' operations'),
            rows.length === 0 ? el('div', {class: 'muted'}, 'no admin operations yet') : table(Object.keys(rows[0]), rows));
    } catch (error) {
        show('audit', unavailable(error));
    }
}

/** An admin operation from a button: confirmed, sent with X-Actor, its answer shown, its panel and the audit log reloaded. */
async function operate(button, section, question, send) {
    if (!window.confirm(question)) {
        return;
    }
    button.disabled = true;
    let message;
    try {
        const answer = await send();
        message = el('div', {class: 'message'}, badge('done', 'ok'), ' ', answer ? JSON.stringify(answer) : '');
    } catch (error) {
        message = el('div', {class: 'message'}, unavailable(error));
    }
    await Promise.allSettled([section === 'parked' ? loadParked() : loadProjections(), loadAudit()]);
    body(section).append(message);
}

// ---------- wiring ----------

async function refreshAll() {
    await Promise.allSettled([loadServices(), loadStatistics(), loadOrders(), loadSagas(), loadProjections(), loadParked(),
        loadReplicas(), loadAudit(), openOrderId ? openOrder(openOrderId) : Promise.resolve()]);
    document.getElementById('refreshed').textContent = 'updated ' + new Date().toLocaleTimeString();
}

document.addEventListener('DOMContentLoaded', () => {
    const actor = document.getElementById('actor');
    actor.value = window.localStorage.getItem('keel.actor') || '';
    actor.addEventListener('change', () => window.localStorage.setItem('keel.actor', actor.value.trim()));
    document.getElementById('refresh').addEventListener('click', refreshAll);
    document.getElementById('order-search').addEventListener('submit', event => {
        event.preventDefault();
        loadOrders();
    });
    document.getElementById('order-open').addEventListener('submit', event => {
        event.preventDefault();
        const id = field(event.target, 'order');
        if (id) {
            openOrder(id);
        }
    });
    document.getElementById('saga-filter').addEventListener('submit', event => {
        event.preventDefault();
        loadSagas();
    });
    // deep links: /#order=<id>&saga=<id> open that order and that saga's timeline
    const linked = new URLSearchParams(window.location.hash.substring(1));
    if (linked.get('order')) {
        openOrderId = linked.get('order');
    }
    refreshAll();
    if (linked.get('saga')) {
        openSaga(linked.get('saga'));
    }
    window.setInterval(() => {
        if (document.getElementById('auto-refresh').checked && !document.hidden) {
            refreshAll();
        }
    }, 5000);
});
