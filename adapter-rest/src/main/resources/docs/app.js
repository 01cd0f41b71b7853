// Renders /openapi.json as a readable page. Plain JavaScript, no libraries, no network access
// beyond this server, and no inline script or style, so it runs under CSP default-src 'self'.
// Everything from the document is inserted as text (textContent), never as HTML.
(function () {
  'use strict';

  var METHODS = ['get', 'post', 'put', 'patch', 'delete'];
  var doc = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function append(parent) {
    for (var i = 1; i < arguments.length; i++) {
      if (arguments[i]) { parent.appendChild(arguments[i]); }
    }
    return parent;
  }

  // A tiny subset of Markdown: paragraphs, `code` and **bold**, as text nodes.
  function prose(text, className) {
    var wrap = el('div', className);
    String(text || '').split(/\n\s*\n/).forEach(function (para) {
      var p = el('p');
      para.split(/(`[^`]+`|\*\*[^*]+\*\*)/).forEach(function (part) {
        if (!part) { return; }
        if (part.charAt(0) === '`' && part.length > 1 && part.charAt(part.length - 1) === '`') {
          p.appendChild(el('code', null, part.slice(1, -1)));
        } else if (part.indexOf('**') === 0 && part.length > 4) {
          p.appendChild(el('strong', null, part.slice(2, -2)));
        } else {
          p.appendChild(document.createTextNode(part));
        }
      });
      wrap.appendChild(p);
    });
    return wrap;
  }

  function resolve(node) {
    var seen = 0;
    while (node && node.$ref && seen++ < 20) {
      var parts = node.$ref.replace(/^#\//, '').split('/');
      var target = doc;
      for (var i = 0; i < parts.length && target; i++) {
        target = target[parts[i].replace(/~1/g, '/').replace(/~0/g, '~')];
      }
      node = target;
    }
    return node || {};
  }

  function refName(node) {
    return node && node.$ref ? node.$ref.split('/').pop() : null;
  }

  function anchor(kind, name) {
    return kind + '-' + String(name).replace(/[^A-Za-z0-9_-]+/g, '-');
  }

  function schemaLink(name) {
    var a = el('a', 'type', name);
    a.href = '#' + anchor('schema', name);
    return a;
  }

  function typeText(schema) {
    if (!schema) { return 'any'; }
    if (schema.$ref) { return refName(schema); }
    if (schema.allOf) { return schema.allOf.map(typeText).join(' & '); }
    if (schema.anyOf) { return schema.anyOf.map(typeText).join(' | '); }
    if (schema.oneOf) { return schema.oneOf.map(typeText).join(' | '); }
    var type = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type || 'any');
    if (type.indexOf('array') === 0 && schema.items) { return typeText(schema.items) + '[]'; }
    if (schema.type === 'object' && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      return 'map of ' + typeText(schema.additionalProperties);
    }
    return type;
  }

  function typeCell(schema) {
    var td = el('td');
    var name = refName(schema) || (schema && schema.items && refName(schema.items));
    if (name) {
      td.appendChild(schemaLink(typeText(schema)));
    } else {
      td.appendChild(el('span', 'type', typeText(schema)));
    }
    var s = resolve(schema);
    var notes = [];
    if (s.enum) { notes.push('one of ' + s.enum.map(function (v) { return v === null ? 'null' : v; }).join(', ')); }
    if (s.items && s.items.enum) { notes.push('each one of ' + s.items.enum.join(', ')); }
    if (s.format) { notes.push(s.format); }
    if (s.minimum !== undefined) { notes.push('min ' + s.minimum); }
    if (s.exclusiveMinimum !== undefined) { notes.push('> ' + s.exclusiveMinimum); }
    if (s.maximum !== undefined) { notes.push('max ' + s.maximum); }
    if (s.maxLength !== undefined) { notes.push('max length ' + s.maxLength); }
    if (s['default'] !== undefined) { notes.push('default ' + s['default']); }
    if (notes.length) { td.appendChild(el('div', 'media', notes.join('; '))); }
    return td;
  }

  function propertiesTable(schema) {
    var s = resolve(schema);
    var props = {};
    var required = [];
    (s.allOf || [s]).forEach(function (part) {
      var r = resolve(part);
      Object.keys(r.properties || {}).forEach(function (k) { props[k] = r.properties[k]; });
      required = required.concat(r.required || []);
    });
    var names = Object.keys(props);
    if (!names.length) { return null; }
    var table = el('table');
    var head = el('tr');
    append(head, el('th', null, 'field'), el('th', null, 'type'), el('th', null, 'description'));
    table.appendChild(head);
    names.forEach(function (name) {
      var row = el('tr');
      var nameCell = el('td', 'name', name);
      if (required.indexOf(name) >= 0) { nameCell.appendChild(el('span', 'req', 'required')); }
      append(row, nameCell, typeCell(props[name]), el('td', null, resolve(props[name]).description || props[name].description || ''));
      table.appendChild(row);
    });
    if (s.additionalProperties === false) {
      var closed = el('tr');
      var cell = el('td', 'media', 'No other fields are accepted.');
      cell.colSpan = 3;
      closed.appendChild(cell);
      table.appendChild(closed);
    }
    return table;
  }

  function exampleBlock(media) {
    var blocks = [];
    if (media.example !== undefined) {
      blocks.push(el('pre', null, typeof media.example === 'string' ? media.example : JSON.stringify(media.example, null, 2)));
    }
    Object.keys(media.examples || {}).forEach(function (key) {
      var ex = resolve(media.examples[key]);
      blocks.push(el('div', 'media', 'example: ' + (ex.summary || key)));
      blocks.push(el('pre', null, typeof ex.value === 'string' ? ex.value : JSON.stringify(ex.value, null, 2)));
    });
    return blocks;
  }

  function parametersSection(parameters) {
    var params = (parameters || []).map(resolve);
    if (!params.length) { return null; }
    var wrap = el('div');
    wrap.appendChild(el('h4', null, 'Parameters'));
    var table = el('table');
    var head = el('tr');
    append(head, el('th', null, 'name'), el('th', null, 'in'), el('th', null, 'type'), el('th', null, 'description'));
    table.appendChild(head);
    params.forEach(function (p) {
      var row = el('tr');
      var nameCell = el('td', 'name', p.name);
      if (p.required) { nameCell.appendChild(el('span', 'req', 'required')); }
      append(row, nameCell, el('td', null, p['in']), typeCell(p.schema), el('td', null, p.description || ''));
      table.appendChild(row);
    });
    wrap.appendChild(table);
    return wrap;
  }

  function requestBodySection(body) {
    if (!body) { return null; }
    var b = resolve(body);
    var wrap = el('div');
    wrap.appendChild(el('h4', null, 'Request body' + (b.required ? ' (required)' : ' (optional)')));
    if (b.description) { wrap.appendChild(prose(b.description)); }
    Object.keys(b.content || {}).forEach(function (type) {
      var media = b.content[type];
      var line = el('div', 'media', type + ' ');
      if (refName(media.schema)) { line.appendChild(schemaLink(refName(media.schema))); }
      wrap.appendChild(line);
      append(wrap, propertiesTable(media.schema));
      exampleBlock(media).forEach(function (n) { wrap.appendChild(n); });
    });
    return wrap;
  }

  function responsesSection(responses) {
    var wrap = el('div');
    wrap.appendChild(el('h4', null, 'Responses'));
    Object.keys(responses || {}).sort().forEach(function (code) {
      var r = resolve(responses[code]);
      var box = el('div', 'response ' + (code.charAt(0) === '2' ? 'ok' : 'err'));
      var title = el('div');
      append(title, el('span', 'code', code), prose(r.description || '', 'inline'));
      box.appendChild(title);
      var headers = Object.keys(r.headers || {});
      if (headers.length) { box.appendChild(el('div', 'media', 'headers: ' + headers.join(', '))); }
      Object.keys(r.content || {}).forEach(function (type) {
        var media = r.content[type];
        var line = el('div', 'media', type + ' ');
        if (media.schema) {
          var names = refName(media.schema) ? [refName(media.schema)]
            : (media.schema.anyOf || media.schema.oneOf || []).map(refName).filter(Boolean);
          names.forEach(function (n, i) {
            if (i) { line.appendChild(document.createTextNode(' | ')); }
            line.appendChild(schemaLink(n));
          });
        }
        box.appendChild(line);
        exampleBlock(media).forEach(function (n) { box.appendChild(n); });
      });
      wrap.appendChild(box);
    });
    return wrap;
  }

  function operationCard(method, path, op) {
    var details = el('details', 'op');
    details.id = anchor('op', op.operationId || method + path);
    details.setAttribute('data-search', [method, path, op.summary, op.operationId, (op.tags || []).join(' '),
      op['x-required-scope'] || 'public'].join(' ').toLowerCase());
    var summary = el('summary');
    var scope = op['x-required-scope'];
    append(summary,
      el('span', 'method ' + method, method),
      el('span', 'path', path),
      el('span', 'summary', op.summary || ''),
      el('span', scope ? 'scope' : 'scope public', scope ? 'scope ' + scope : 'public'));
    details.appendChild(summary);

    var body = el('div', 'op-body');
    append(body,
      el('div', 'opid', 'operationId: ' + (op.operationId || '')),
      prose(op.description || ''),
      parametersSection(op.parameters),
      requestBodySection(op.requestBody),
      responsesSection(op.responses));
    details.appendChild(body);
    return details;
  }

  function render() {
    var content = document.getElementById('content');
    var toc = document.getElementById('toc');
    content.textContent = '';
    toc.textContent = '';
    document.title = (doc.info && doc.info.title || 'API') + ' ' + (doc.info && doc.info.version || '');
    document.getElementById('title').textContent = doc.info && doc.info.title || 'API';
    document.getElementById('version').textContent = 'version ' + (doc.info && doc.info.version || '?') + ' - OpenAPI ' + doc.openapi;

    if (doc.info && doc.info.description) { content.appendChild(prose(doc.info.description, 'intro')); }

    var tags = (doc.tags || []).map(function (t) { return t.name; });
    var byTag = {};
    Object.keys(doc.paths || {}).forEach(function (path) {
      METHODS.forEach(function (method) {
        var op = doc.paths[path][method];
        if (!op) { return; }
        var tag = (op.tags && op.tags[0]) || 'other';
        if (tags.indexOf(tag) < 0) { tags.push(tag); }
        (byTag[tag] = byTag[tag] || []).push({ method: method, path: path, op: op });
      });
    });

    tags.forEach(function (tag) {
      var ops = byTag[tag];
      if (!ops) { return; }
      var meta = (doc.tags || []).filter(function (t) { return t.name === tag; })[0] || {};
      var section = el('section', 'tag');
      section.id = anchor('tag', tag);
      append(section, el('h2', 'tag-title', tag), meta.description ? el('p', 'tag-desc', meta.description) : null);
      toc.appendChild(el('h3', null, tag));
      ops.forEach(function (o) {
        var card = operationCard(o.method, o.path, o.op);
        section.appendChild(card);
        var link = el('a', null, o.method.toUpperCase() + ' ' + o.path);
        link.href = '#' + card.id;
        link.title = o.op.summary || '';
        link.setAttribute('data-target', card.id);
        toc.appendChild(link);
      });
      content.appendChild(section);
    });

    var schemas = (doc.components && doc.components.schemas) || {};
    var names = Object.keys(schemas);
    if (names.length) {
      var section = el('section', 'tag');
      section.id = 'schemas';
      section.appendChild(el('h2', 'tag-title', 'Schemas'));
      toc.appendChild(el('h3', null, 'schemas'));
      names.forEach(function (name) {
        var box = el('div', 'schema');
        box.id = anchor('schema', name);
        box.appendChild(el('h3', null, name));
        if (schemas[name].description) { box.appendChild(prose(schemas[name].description)); }
        append(box, propertiesTable({ $ref: '#/components/schemas/' + name }));
        section.appendChild(box);
        var link = el('a', null, name);
        link.href = '#' + box.id;
        toc.appendChild(link);
      });
      content.appendChild(section);
    }
    openFromHash();
  }

  function openFromHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.tagName === 'DETAILS') { target.open = true; }
  }

  function filter(text) {
    var q = text.trim().toLowerCase();
    Array.prototype.forEach.call(document.querySelectorAll('details.op'), function (d) {
      var hit = !q || d.getAttribute('data-search').indexOf(q) >= 0;
      d.classList.toggle('hidden', !hit);
      var link = document.querySelector('#toc a[data-target="' + d.id + '"]');
      if (link) { link.classList.toggle('hidden', !hit); }
    });
  }

  function fail(message) {
    var status = document.getElementById('status');
    if (status) {
      status.textContent = message;
      status.className = 'status error';
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('filter').addEventListener('input', function (e) { filter(e.target.value); });
    window.addEventListener('hashchange', openFromHash);
    fetch('/openapi.json', { headers: { Accept: 'application/json' } })
      .then(function (res) {
        if (!res.ok) { throw new Error('GET /openapi.json answered ' + res.status); }
        return res.json();
      })
      .then(function (json) {
        doc = json;
        render();
      })
      .catch(function (e) { fail('Could not load /openapi.json: ' + e.message); });
  });
}());
