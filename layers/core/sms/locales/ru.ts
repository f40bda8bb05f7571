/**
 * Russian copy, in Cyrillic and so always UCS-2. The customer is addressed with the polite capitalised
 * "Вы". Carriers are named after a verb or a label ("Доставит СДЭК", "Служба доставки: ..."), so a
 * Latin-script name like "InPost" never has to be declined.
 */
import type { SmsCopy } from '../templates.js';

export const ru: SmsCopy = {
  // "через 1 час / 2 часа / 5 часов / 21 час": accusative after "через".
  hours: { one: 'час', few: 'часа', many: 'часов', other: 'часа' },
  estimate: (date, time) => (time ? `${date}, с ${time}` : date),
  kinds: {
    'order-placed': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: спасибо! Мы получили Ваш заказ ${f.orderId}${f.total ? ` на сумму ${f.total}` : ''}`,
            'Напишем, как только отправим его',
            f.replyWithin && `Есть вопросы? Ответим не позже чем через ${f.replyWithin}`,
          ]
        : [
            `${f.shop}: заказ ${f.orderId}${f.total ? ` (${f.total})` : ''} принят, спасибо!`,
            f.replyWithin && `Вопросы? Ответим не позже чем через ${f.replyWithin}`,
          ],
    'order-packed': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: хорошие новости! Ваш заказ ${f.orderId} собран и скоро отправится в путь`,
            f.estimate && `Ожидаемая доставка: ${f.estimate}`,
            'Ссылку для отслеживания пришлём сразу после отправки',
          ]
        : [`${f.shop}: заказ ${f.orderId} собран, скоро отправим`, f.estimate && `Доставка: ${f.estimate}`],
    'order-shipped': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: Ваш заказ ${f.orderId} уже в пути!`,
            f.carrier && `Доставит ${f.carrier}`,
            f.estimate && `Ожидаемая доставка: ${f.estimate}`,
            f.trackingUrl && `Отследить посылку: ${f.trackingUrl}`,
          ]
        : [
            `${f.shop}: заказ ${f.orderId} отправлен`,
            f.estimate && `Доставка: ${f.estimate}`,
            f.trackingUrl && `Отследить: ${f.trackingUrl}`,
          ],
    'order-out-for-delivery': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: Ваш заказ ${f.orderId} приедет к Вам сегодня!`,
            f.carrier && `Посылку везёт ${f.carrier}`,
            f.estimate && `Ожидаемая доставка: ${f.estimate}`,
            'Пожалуйста, держите телефон под рукой',
            f.trackingUrl && `Отследить посылку: ${f.trackingUrl}`,
          ]
        : [
            `${f.shop}: заказ ${f.orderId} приедет сегодня`,
            f.estimate && `Доставка: ${f.estimate}`,
            f.trackingUrl && `Отследить: ${f.trackingUrl}`,
          ],
    'order-delivered': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: Ваш заказ ${f.orderId} доставлен. Надеемся, он Вам понравится!`,
            'Если что-то не так, дайте нам знать — мы поможем',
          ]
        : [`${f.shop}: заказ ${f.orderId} доставлен. Пользуйтесь с удовольствием!`],
    // Owns the delay and says what happens next; never "приносим извинения за неудобства".
    'order-delayed': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: Ваш заказ ${f.orderId} задерживается`,
            'Мы знаем, что Вы его ждёте, и нам очень жаль',
            f.reason && `Причина: ${f.reason}`,
            f.estimate && `Новый срок доставки: ${f.estimate}`,
            f.carrier && `Служба доставки: ${f.carrier}`,
            f.estimate ? 'Если что-то изменится, сразу напишем' : 'Напишем, как только узнаем новый срок',
            f.trackingUrl && `Отследить посылку: ${f.trackingUrl}`,
          ]
        : [
            `${f.shop}: к сожалению, заказ ${f.orderId} задерживается`,
            f.reason && `Причина: ${f.reason}`,
            f.estimate && `Новый срок: ${f.estimate}`,
            f.estimate ? 'Сообщим об изменениях' : 'Напишем, когда узнаем новый срок',
          ],
    // Conditional on payment: the shop has not told us whether the customer paid, nor how refunds go.
    'order-cancelled': (f, wording) =>
      wording === 'full'
        ? [
            `${f.shop}: Ваш заказ ${f.orderId} отменён`,
            f.reason && `Причина: ${f.reason}`,
            'Если Вы уже оплатили заказ, деньги вернутся к Вам',
            'Остались вопросы? Мы с радостью поможем',
          ]
        : [
            `${f.shop}: заказ ${f.orderId} отменён`,
            f.reason && `Причина: ${f.reason}`,
            'Если он был оплачен, деньги вернутся к Вам',
          ],
  },
};
