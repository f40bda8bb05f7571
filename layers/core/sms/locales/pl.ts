/**
 * Polish copy. Diacritics are kept (a Polish SMS without them reads as careless or as spam), which makes
 * every Polish message UCS-2: 70 characters in one part, 67 a part beyond that.
 *
 * The customer is "Ty" with the capitalised "Twoje/Ciebie" of letters, as Polish shops write. Past-tense
 * verbs about the customer are avoided ("zapłaciłeś/zapłaciłaś"), since we do not know their gender.
 * Carriers are named as the subject ("Dostarczy je InPost"), so no name ever needs declining.
 */
import type { SmsCopy } from '../templates.js';

export const pl: SmsCopy = {
  // "za 1 godzinę / 2 godziny / 5 godzin": accusative after "za"; fractions are rounded up before this.
  hours: { one: 'godzinę', few: 'godziny', many: 'godzin', other: 'godziny' },
  estimate: (date, time) => (time ? `${date}, od ${time}` : date),
  kinds: {
    'order-placed': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: dziękujemy! Przyjęliśmy Twoje zamówienie ${f.orderId}${f.total ? ` na kwotę ${f.total}` : ''}`,
            'Napiszemy, gdy tylko je wyślemy',
            f.replyWithin && `Masz pytania? Odpowiemy najpóźniej za ${f.replyWithin}`,
          ]
        : [
            `${f.shop}: zamówienie ${f.orderId}${f.total ? ` (${f.total})` : ''} przyjęte, dziękujemy!`,
            f.replyWithin && `Pytania? Odpowiemy najpóźniej za ${f.replyWithin}`,
          ],
    'order-packed': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: dobra wiadomość! Twoje zamówienie ${f.orderId} jest już spakowane i wkrótce wyruszy w drogę`,
            f.estimate && `Przewidywana dostawa: ${f.estimate}`,
            'Link do śledzenia wyślemy po nadaniu paczki',
          ]
        : [
            `${f.shop}: zamówienie ${f.orderId} spakowane, wkrótce je wyślemy`,
            f.estimate && `Dostawa: ${f.estimate}`,
          ],
    'order-shipped': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: Twoje zamówienie ${f.orderId} jest już w drodze!`,
            f.carrier && `Dostarczy je ${f.carrier}`,
            f.estimate && `Przewidywana dostawa: ${f.estimate}`,
            f.trackingUrl && `Śledź paczkę: ${f.trackingUrl}`,
          ]
        : [
            `${f.shop}: zamówienie ${f.orderId} wysłane`,
            f.estimate && `Dostawa: ${f.estimate}`,
            f.trackingUrl && `Śledź: ${f.trackingUrl}`,
          ],
    'order-out-for-delivery': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: Twoje zamówienie ${f.orderId} dotrze do Ciebie dzisiaj!`,
            f.carrier && `Paczkę wiezie ${f.carrier}`,
            f.estimate && `Przewidywana dostawa: ${f.estimate}`,
            'Miej telefon pod ręką',
            f.trackingUrl && `Śledź paczkę: ${f.trackingUrl}`,
          ]
        : [
            `${f.shop}: zamówienie ${f.orderId} dotrze dziś`,
            f.estimate && `Dostawa: ${f.estimate}`,
            f.trackingUrl && `Śledź: ${f.trackingUrl}`,
          ],
    'order-delivered': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: Twoje zamówienie ${f.orderId} zostało doręczone. Mamy nadzieję, że się spodoba!`,
            'Jeśli coś jest nie tak, daj nam znać – pomożemy',
          ]
        : [`${f.shop}: zamówienie ${f.orderId} doręczone. Miłego korzystania!`],
    // Owns the delay and says what happens next; never "przepraszamy za niedogodności".
    'order-delayed': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: Twoje zamówienie ${f.orderId} się opóźnia`,
            'Wiemy, że na nie czekasz, i bardzo nam przykro',
            f.reason && `Powód: ${f.reason}`,
            f.estimate && `Nowy termin dostawy: ${f.estimate}`,
            f.carrier && `Przewoźnik: ${f.carrier}`,
            f.estimate
              ? 'Jeśli coś się zmieni, od razu napiszemy'
              : 'Napiszemy, gdy tylko poznamy nowy termin',
            f.trackingUrl && `Śledź paczkę: ${f.trackingUrl}`,
          ]
        : [
            `${f.shop}: przykro nam, zamówienie ${f.orderId} się opóźni`,
            f.reason && `Powód: ${f.reason}`,
            f.estimate && `Nowy termin: ${f.estimate}`,
            f.estimate ? 'Damy znać o zmianach' : 'Napiszemy, gdy poznamy nowy termin',
          ],
    // "Jeśli było już opłacone": whether and how the customer paid is the shop's to say, not ours.
    'order-cancelled': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: Twoje zamówienie ${f.orderId} zostało anulowane`,
            f.reason && `Powód: ${f.reason}`,
            'Jeśli było już opłacone, pieniądze wrócą do Ciebie',
            'Masz pytania? Chętnie pomożemy',
          ]
        : [
            `${f.shop}: zamówienie ${f.orderId} anulowane`,
            f.reason && `Powód: ${f.reason}`,
            'Jeśli było opłacone, pieniądze wrócą do Ciebie',
          ],
  },
};
