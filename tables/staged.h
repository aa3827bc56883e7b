// The interface between in-memory tables and the writer queue that changes them
// (bases/writer_queue.h): a table keeps a write's changes aside until its batch commits.
#pragma once

namespace kyc {

// Memory that a batch changes. Staged changes are kept aside until the batch commits.
// Called only on the owning base's writer strand.
class Staged {
 public:
  virtual ~Staged() = default;
  virtual void Publish() = 0;    // the batch committed: make staged changes visible
  virtual void Discard() = 0;    // the batch failed: forget staged changes
  virtual void BeginWrite() = 0; // one write of the batch starts: remember how to undo it
  virtual void UndoWrite() = 0;  // that write failed: drop what it staged
  // Whether readers combine this table with others under the base's snapshot lock (a
  // profile with its steps and documents). Tables read on their own (audit, AML) publish
  // after that lock is released, so a large batch of them holds no profile read up.
  virtual bool InSnapshot() const { return true; }
};

// The open batch of a base's writer (bases/writer_queue.h's WriteBatch), as a table sees
// it: a table registers itself on the first change it stages in the current write.
class StagingBatch {
 public:
  virtual void Touch(Staged* s) = 0;

 protected:
  ~StagingBatch() = default;
};

}  // namespace kyc
