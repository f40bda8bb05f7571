import { describe, expect, it } from 'vitest';
import {
  childElement,
  childText,
  parseXml,
  unescapeXml,
  XmlSyntaxError,
} from '#adapters/signed-json/xml-reader.js';

describe('the XML reader of query-protocol answers', () => {
  it('reads an answer as SNS sends it: declaration, namespace, indentation', () => {
    // Prepare
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">',
      '  <PublishResult>',
      '    <MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId>',
      '  </PublishResult>',
      "  <ResponseMetadata><RequestId a='1'>r-1</RequestId></ResponseMetadata>",
      '</PublishResponse>',
      '',
    ].join('\n');

    // Act
    const root = parseXml(xml);

    // Assess
    expect(root.name).toBe('PublishResponse');
    const result = childElement(root, 'PublishResult');
    expect(result && childText(result, 'MessageId')).toBe('567910cd-659e-55d4-8ccb-5aaf14679dc0');
    const metadata = childElement(root, 'ResponseMetadata');
    expect(metadata && childText(metadata, 'RequestId')).toBe('r-1');
    expect(childText(root, 'Missing')).toBeUndefined();
  });

  it.each([
    ['the five named entities', '&amp;&lt;&gt;&quot;&apos;', `&<>"'`],
    ['decimal and hexadecimal references', '&#65;&#x42;&#x1F69A;&#128230;', 'AB🚚📦'],
    ['text without entities', 'zamówienie PL-1', 'zamówienie PL-1'],
    ['an escaped entity, once', '&amp;amp;', '&amp;'],
  ])('unescapes %s', (_, text, expected) => {
    expect(unescapeXml(text)).toBe(expected);
  });

  it('reads CDATA as text, skips comments, keeps an empty element empty', () => {
    // Act
    const root = parseXml('<a><!-- note --><b><![CDATA[x < y & z]]></b><c/><d></d></a>');

    // Assess
    expect(root.children.map((child) => [child.name, child.text])).toEqual([
      ['b', 'x < y & z'],
      ['c', ''],
      ['d', ''],
    ]);
  });

  it.each([
    ['a tag closed out of order', '<a><b></a></b>'],
    ['a tag never closed', '<a><b></b>'],
    ['a bare ampersand', '<a>fish & chips</a>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['a reference to no character', '<a>&#xD800;</a>'],
    ['a document type declaration', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'],
    ['text after the root', '<a/>trailing'],
    ['two roots', '<a/><b/>'],
    ['an attribute without quotes', '<a x=1></a>'],
    ['no element at all', 'Service Unavailable'],
    ['an empty body', ''],
  ])('refuses %s', (_, xml) => {
    expect(() => parseXml(xml)).toThrow(XmlSyntaxError);
  });
});
