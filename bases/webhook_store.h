// Webhooks and their deliveries in kyc.db (issue 18), beside the audit trail they read
// their events from.
#pragma once

#include <string_view>

#include "bases/sqlite.h"
#include "bases/writer_queue.h"
#include "events/webhooks.h"

namespace kyc {

// Schema version 10 of kyc.db.
extern const std::string_view kWebhookSchema;

class WebhookStore {
 public:
  [[nodiscard]] Status Prepare(Db& db);
  [[nodiscard]] Status Load(Db& db);

  const WebhookSet& webhooks() const { return webhooks_; }
  const DeliverySet& deliveries() const { return deliveries_; }
  // Writer strand only.
  WebhookSet& staged_webhooks() { return webhooks_; }
  DeliverySet& staged_deliveries() { return deliveries_; }
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const Webhook> w);
  [[nodiscard]] Status Put(WriteBatch& batch, std::shared_ptr<const Delivery> d);

 private:
  WebhookSet webhooks_;
  DeliverySet deliveries_;
  Stmt put_webhook_, put_delivery_;
};

}  // namespace kyc
