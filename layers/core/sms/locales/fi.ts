/**
 * Finnish copy. ä, ö and å are in the GSM-7 alphabet, so with plain punctuation (a comma rather than a
 * dash) a Finnish message stays GSM-7: 160 characters a part. The customer is "sinä", as Finnish shops
 * write. Carriers come after a label ("Kuljetusyhtiö: Posti"), so no name has to take a case ending.
 */
import type { SmsCopy } from '../templates.js';

export const fi: SmsCopy = {
  // "enintään 1 tunti / 2 tuntia": Finnish has one form for one and another for every other count.
  hours: { one: 'tunti', other: 'tuntia' },
  estimate: (date, time) => (time ? `${date} klo ${time} alkaen` : date),
  kinds: {
    'order-placed': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: kiitos tilauksestasi! Tilaus ${f.orderId}${f.total ? ` (${f.total})` : ''} on vastaanotettu`,
            'Ilmoitamme heti, kun se lähtee matkaan',
            f.replyWithin && `Onko kysyttävää? Vastausaikamme on nyt enintään ${f.replyWithin}`,
          ]
        : [
            `${f.shop}: tilaus ${f.orderId}${f.total ? ` (${f.total})` : ''} vastaanotettu, kiitos!`,
            f.replyWithin && `Kysyttävää? Vastausaika nyt enintään ${f.replyWithin}`,
          ],
    'order-packed': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: hyviä uutisia! Tilauksesi ${f.orderId} on pakattu ja lähtee pian matkaan`,
            f.estimate && `Arvioitu toimitus: ${f.estimate}`,
            'Saat seurantalinkin heti, kun paketti lähtee',
          ]
        : [
            `${f.shop}: tilaus ${f.orderId} on pakattu ja lähtee pian`,
            f.estimate && `Toimitus: ${f.estimate}`,
          ],
    'order-shipped': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: tilauksesi ${f.orderId} on matkalla!`,
            f.carrier && `Kuljetusyhtiö: ${f.carrier}`,
            f.estimate && `Arvioitu toimitus: ${f.estimate}`,
            f.trackingUrl && `Seuraa pakettia: ${f.trackingUrl}`,
          ]
        : [
            `${f.shop}: tilaus ${f.orderId} on lähetetty`,
            f.estimate && `Toimitus: ${f.estimate}`,
            f.trackingUrl && `Seuranta: ${f.trackingUrl}`,
          ],
    'order-out-for-delivery': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: tilauksesi ${f.orderId} saapuu tänään!`,
            f.carrier && `Kuljetusyhtiö: ${f.carrier}`,
            f.estimate && `Arvioitu toimitus: ${f.estimate}`,
            'Pidäthän puhelimen lähellä',
            f.trackingUrl && `Seuraa pakettia: ${f.trackingUrl}`,
          ]
        : [
            `${f.shop}: tilaus ${f.orderId} saapuu tänään`,
            f.estimate && `Toimitus: ${f.estimate}`,
            f.trackingUrl && `Seuranta: ${f.trackingUrl}`,
          ],
    'order-delivered': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: tilauksesi ${f.orderId} on toimitettu. Toivottavasti pidät siitä!`,
            'Jos jokin ei ole kunnossa, ota yhteyttä, niin autamme',
          ]
        : [`${f.shop}: tilaus ${f.orderId} on toimitettu. Kiitos!`],
    // Owns the delay and says what happens next; never "pahoittelemme aiheutunutta haittaa".
    'order-delayed': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: tilauksesi ${f.orderId} on myöhässä`,
            'Tiedämme, että odotat sitä, ja olemme todella pahoillamme',
            f.reason && `Syy: ${f.reason}`,
            f.estimate && `Uusi arvioitu toimitus: ${f.estimate}`,
            f.carrier && `Kuljetusyhtiö: ${f.carrier}`,
            f.estimate
              ? 'Jos tilanne muuttuu, ilmoitamme heti'
              : 'Ilmoitamme heti, kun tiedämme uuden toimitusajan',
            f.trackingUrl && `Seuraa pakettia: ${f.trackingUrl}`,
          ]
        : [
            `${f.shop}: valitettavasti tilaus ${f.orderId} on myöhässä`,
            f.reason && `Syy: ${f.reason}`,
            f.estimate && `Uusi arvio: ${f.estimate}`,
            f.estimate ? 'Ilmoitamme, jos tilanne muuttuu' : 'Ilmoitamme uuden toimitusajan pian',
          ],
    // Conditional on payment: the shop has not told us whether the customer paid, nor how refunds go.
    'order-cancelled': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: tilauksesi ${f.orderId} on peruttu`,
            f.reason && `Syy: ${f.reason}`,
            'Jos olet jo maksanut sen, saat rahasi takaisin',
            'Kysyttävää? Autamme mielellämme',
          ]
        : [
            `${f.shop}: tilaus ${f.orderId} on peruttu`,
            f.reason && `Syy: ${f.reason}`,
            'Jos olet jo maksanut, saat rahat takaisin',
          ],
  },
};
